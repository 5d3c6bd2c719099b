package io.mschedule.protocol.zerorpc;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * A zerorpc {@code message_id} / {@code response_to}: opaque bytes plus the msgpack type they
 * travelled as. Python sends ids as bin, zerorpc-node as str; a reply must echo the request's id in
 * the same type or the Python client cannot route it.
 */
public final class MessageId {
  /** The msgpack type of an id. */
  public enum Kind {
    BIN,
    STR
  }

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BASE = randomHex(24);
  private static final AtomicInteger COUNTER = new AtomicInteger(new SecureRandom().nextInt());

  private final byte[] bytes;
  private final Kind kind;

  private MessageId(byte[] bytes, Kind kind) {
    this.bytes = bytes;
    this.kind = kind;
  }

  /** An id sent as msgpack bin. */
  public static MessageId bin(byte[] bytes) {
    return new MessageId(bytes.clone(), Kind.BIN);
  }

  /** An id sent as msgpack str, given as its raw (normally UTF-8) bytes. */
  public static MessageId str(byte[] bytes) {
    return new MessageId(bytes.clone(), Kind.STR);
  }

  /** An id sent as msgpack str. */
  public static MessageId str(String text) {
    return new MessageId(text.getBytes(StandardCharsets.UTF_8), Kind.STR);
  }

  /**
   * A new id as zerorpc-python makes them: 8 hex digits of a per-process counter followed by 24
   * random hex digits fixed for the process, 32 ASCII characters sent as bin.
   */
  public static MessageId generate() {
    int n = COUNTER.getAndIncrement();
    byte[] id = new byte[32];
    for (int i = 7; i >= 0; i--) {
      id[i] = HEX[n & 0xf];
      n >>>= 4;
    }
    System.arraycopy(BASE, 0, id, 8, 24);
    return new MessageId(id, Kind.BIN);
  }

  /**
   * Reads an id from a header value.
   *
   * @param field the header key, used in the error message
   */
  static MessageId fromValue(Value value, String field) throws ProtocolException {
    if (value.isBinaryValue()) {
      return new MessageId(value.asBinaryValue().asByteArray(), Kind.BIN);
    }
    if (value.isStringValue()) {
      return new MessageId(value.asStringValue().asByteArray(), Kind.STR);
    }
    throw new ProtocolException(
        "header." + field + " must be bin or str, got " + Event.typeName(value));
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  byte[] rawBytes() {
    return bytes;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isString() {
    return kind == Kind.STR;
  }

  /** The id as a msgpack value of its own type, bytes unchanged. */
  public Value toValue() {
    return kind == Kind.STR ? ValueFactory.newString(bytes) : ValueFactory.newBinary(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageId other && kind == other.kind && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(bytes) + kind.hashCode();
  }

  @Override
  public String toString() {
    return (kind == Kind.STR ? "str:" : "bin:") + Bytes.printable(bytes);
  }

  private static byte[] randomHex(int length) {
    SecureRandom random = new SecureRandom();
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = HEX[random.nextInt(16)];
    }
    return out;
  }
}
