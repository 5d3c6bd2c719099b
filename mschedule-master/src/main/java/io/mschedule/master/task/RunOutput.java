package io.mschedule.master.task;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A run's output as stored: its bytes (stdout and stderr interleaved as the agent read them) and
 * which bytes came from which stream.
 *
 * @param streamRuns the lengths of the output's alternating stdout and stderr runs, first stdout;
 *     empty when it is all stdout
 */
public record RunOutput(byte[] data, List<Integer> streamRuns) {
  /** No output. */
  public static final RunOutput NONE = stdout(new byte[0]);

  public RunOutput {
    Objects.requireNonNull(data, "data");
    streamRuns = streamRuns == null ? List.of() : List.copyOf(streamRuns);
    if (streamRuns.stream().anyMatch(n -> n < 0)) {
      throw new IllegalArgumentException("a stream run length is negative: " + streamRuns);
    }
  }

  /** Output that is all stdout. */
  public static RunOutput stdout(byte[] data) {
    return new RunOutput(data, List.of());
  }

  /** True when no byte is from stderr. */
  public boolean allStdout() {
    for (int i = 1; i < streamRuns.size(); i += 2) {
      if (streamRuns.get(i) > 0) {
        return false;
      }
    }
    return true;
  }

  /** The bytes that came from stdout, in order. */
  public byte[] stdout() {
    return select(false);
  }

  /** The bytes that came from stderr, in order. */
  public byte[] stderr() {
    return select(true);
  }

  private byte[] select(boolean stderr) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    boolean isErr = false;
    for (int run : streamRuns) {
      int n = Math.max(0, Math.min(run, data.length - at));
      if (isErr == stderr) {
        out.write(data, at, n);
      }
      at += n;
      isErr = !isErr;
    }
    if (!stderr) {
      out.write(data, at, data.length - at);
    }
    return out.toByteArray();
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
        && streamRuns.equals(other.streamRuns);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(data) + streamRuns.hashCode();
  }

  @Override
  public String toString() {
    return "RunOutput[" + data.length + " bytes, streams " + streamRuns + "]";
  }
}
