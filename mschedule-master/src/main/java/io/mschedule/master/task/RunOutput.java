package io.mschedule.master.task;

import io.mschedule.protocol.message.OutputStreams;
import io.mschedule.protocol.message.StdStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A run's output as stored: its bytes (stdout and stderr interleaved as the agent read them) and
 * which bytes came from which stream.
 */
public record RunOutput(byte[] data, OutputStreams streams) {
  /** No output. */
  public static final RunOutput NONE = new RunOutput(new byte[0], OutputStreams.ALL_STDOUT);

  public RunOutput {
    Objects.requireNonNull(data, "data");
    streams = streams == null ? OutputStreams.ALL_STDOUT : streams;
  }

  /** Output that is all stdout. */
  public static RunOutput stdout(byte[] data) {
    return new RunOutput(data, OutputStreams.ALL_STDOUT);
  }

  /** The bytes of one stream. */
  public byte[] of(StdStream stream) {
    return streams.select(data, stream);
  }

  /** True when the bytes are valid UTF-8 (so the text shows them exactly). */
  public static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunOutput other
        && Arrays.equals(data, other.data)
        && streams.equals(other.streams);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(data) + streams.hashCode();
  }

  @Override
  public String toString() {
    return "RunOutput[" + data.length + " bytes, " + streams + "]";
  }
}
