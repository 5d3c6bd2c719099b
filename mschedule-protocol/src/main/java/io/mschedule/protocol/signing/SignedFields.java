package io.mschedule.protocol.signing;

import io.mschedule.protocol.message.FileOrder;
import io.mschedule.protocol.message.KillOrder;
import io.mschedule.protocol.message.Message;
import io.mschedule.protocol.message.TaskOrder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The bytes an order's signature covers: the fields an agent acts on, in a fixed order, each in one
 * possible encoding (docs/protocol.md, "Signed orders"). Both sides build them from the decoded
 * order, so the agent verifies exactly what it will act on.
 *
 * <p>Items: a string or byte string is its length (4 bytes, big-endian) then its bytes; an integer
 * is 8 bytes, big-endian, two's complement; a boolean one byte 0 or 1; an optional string one byte
 * 0 (absent) or 1 followed by the string.
 */
public final class SignedFields {
  /** The first item: names the format, so the bytes of one cannot pass for another's. */
  public static final String FORMAT = "mschedule-order-v1";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private SignedFields() {}

  /**
   * The signed bytes of a task or kill order issued at {@code issuedAt} (epoch milliseconds).
   *
   * @throws IllegalArgumentException for another kind of message (only orders are signed)
   */
  public static byte[] of(Message order, long issuedAt) {
    SignedFields f = new SignedFields();
    f.string(FORMAT);
    f.string(order.type());
    f.integer(issuedAt);
    if (order instanceof TaskOrder t) {
      f.task(t);
    } else if (order instanceof KillOrder k) {
      f.string(k.id());
    } else {
      throw new IllegalArgumentException(
          "only task and kill orders are signed, not " + order.type());
    }
    return f.out.toByteArray();
  }

  private void task(TaskOrder t) {
    string(t.id());
    integer(t.attempt());
    bytes(t.script());
    optString(t.scriptSha256());
    integer(t.timeout());
    bool(t.copy());
    List<Map.Entry<byte[], byte[]>> env = new ArrayList<>();
    t.env().forEach((k, v) -> env.add(Map.entry(utf8(k), utf8(v))));
    env.sort((a, b) -> Arrays.compareUnsigned(a.getKey(), b.getKey()));
    integer(env.size());
    for (Map.Entry<byte[], byte[]> e : env) {
      bytes(e.getKey());
      bytes(e.getValue());
    }
    integer(t.files().size());
    for (FileOrder file : t.files()) {
      string(file.sha256());
      integer(file.size());
      string(file.dest());
      optString(file.mode());
      optString(file.owner());
    }
  }

  private void string(String s) {
    bytes(utf8(s));
  }

  private void optString(String s) {
    if (s == null) {
      out.write(0);
    } else {
      out.write(1);
      string(s);
    }
  }

  private void bytes(byte[] b) {
    int n = b.length;
    out.write(n >>> 24);
    out.write(n >>> 16);
    out.write(n >>> 8);
    out.write(n);
    out.writeBytes(b);
  }

  private void integer(long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (v >>> shift));
    }
  }

  private void bool(boolean b) {
    out.write(b ? 1 : 0);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
