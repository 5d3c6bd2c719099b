package io.mschedule.agent.spool;

import io.mschedule.agent.runner.RunResult;
import io.mschedule.agent.runner.RunStatus;
import io.mschedule.protocol.message.OutputStreams;
import java.io.IOException;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * The spool file format: one MessagePack map per file with the result's fields (snake_case, as in
 * the {@code result} message), the output as binary, plus {@code format} and the save sequence
 * number {@code seq}; {@code attempt} always (entries without it are first attempts); {@code
 * streams} (the stream runs) only when some output is stderr. Unknown keys are skipped, so fields
 * can be added later.
 */
final class ResultCodec {

  static final int FORMAT = 1;

  /** A decoded spool file. */
  record Entry(long seq, RunResult result) {}

  private ResultCodec() {}

  static byte[] encode(long seq, RunResult r) throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      int[] runs = r.streams().runs();
      p.packMapHeader(runs.length == 0 ? 12 : 13);
      p.packString("format").packInt(FORMAT);
      p.packString("seq").packLong(seq);
      p.packString("id").packString(r.taskId());
      p.packString("status").packString(r.status().wireName());
      p.packString("code").packInt(r.code());
      p.packString("output").packBinaryHeader(r.output().length);
      p.writePayload(r.output());
      p.packString("truncated").packBoolean(r.truncated());
      p.packString("output_bytes").packLong(r.outputBytes());
      p.packString("error");
      if (r.error() == null) {
        p.packNil();
      } else {
        p.packString(r.error());
      }
      p.packString("started_at").packLong(r.startedAtMillis());
      p.packString("finished_at").packLong(r.finishedAtMillis());
      p.packString("attempt").packInt(r.attempt());
      if (runs.length > 0) {
        p.packString("streams").packArrayHeader(runs.length);
        for (int run : runs) {
          p.packInt(run);
        }
      }
      return p.toByteArray();
    }
  }

  /**
   * Decodes a spool file.
   *
   * @throws IOException when the bytes are not a complete spool entry of a known format
   */
  static Entry decode(byte[] bytes) throws IOException {
    Long seq = null;
    Integer format = null;
    String id = null;
    RunStatus status = null;
    Integer code = null;
    byte[] output = null;
    Boolean truncated = null;
    Long outputBytes = null;
    String error = null;
    Long startedAt = null;
    Long finishedAt = null;
    int attempt = 1; // entries saved before retries existed
    int[] streams = new int[0];
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
      int size = u.unpackMapHeader();
      for (int i = 0; i < size; i++) {
        String key = u.unpackString();
        switch (key) {
          case "format" -> format = u.unpackInt();
          case "seq" -> seq = u.unpackLong();
          case "id" -> id = u.unpackString();
          case "status" -> status = RunStatus.fromWire(u.unpackString());
          case "code" -> code = u.unpackInt();
          case "output" -> output = u.readPayload(u.unpackBinaryHeader());
          case "truncated" -> truncated = u.unpackBoolean();
          case "output_bytes" -> outputBytes = u.unpackLong();
          case "error" -> {
            if (u.getNextFormat().getValueType() == ValueType.NIL) {
              u.unpackNil();
            } else {
              error = u.unpackString();
            }
          }
          case "started_at" -> startedAt = u.unpackLong();
          case "finished_at" -> finishedAt = u.unpackLong();
          case "attempt" -> attempt = u.unpackInt();
          case "streams" -> {
            streams = new int[u.unpackArrayHeader()];
            for (int k = 0; k < streams.length; k++) {
              streams[k] = u.unpackInt();
            }
          }
          default -> u.skipValue();
        }
      }
      if (u.hasNext()) {
        throw new IOException("trailing bytes after the entry");
      }
    } catch (IOException e) {
      throw e;
    } catch (RuntimeException e) { // MessagePack format errors, unknown status, bad values
      throw new IOException(e.toString(), e);
    }
    if (format == null || format != FORMAT) {
      throw new IOException("unknown spool format " + format);
    }
    require("seq", seq);
    require("id", id);
    require("status", status);
    require("code", code);
    require("output", output);
    require("truncated", truncated);
    require("output_bytes", outputBytes);
    require("started_at", startedAt);
    require("finished_at", finishedAt);
    try {
      return new Entry(
          seq,
          new RunResult(
              id,
              status,
              code,
              output,
              truncated,
              outputBytes,
              error,
              startedAt,
              finishedAt,
              OutputStreams.of(streams),
              attempt));
    } catch (RuntimeException e) {
      throw new IOException("invalid result: " + e.getMessage(), e);
    }
  }

  private static void require(String key, Object value) throws IOException {
    if (value == null) {
      throw new IOException("missing " + key);
    }
  }
}
