package io.mschedule.protocol.message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cuts output to a size limit, keeping the head and a tail with a marker between them: {@code
 * \n[mschedule: N bytes of output omitted]\n}.
 */
public final class OutputLimit {
  /** How much of the end of the output is kept when it is cut. */
  public static final int TAIL_BYTES = 64 * 1024;

  private OutputLimit() {}

  public static String marker(long omitted) {
    return "\n[mschedule: " + omitted + " bytes of output omitted]\n";
  }

  /** The output itself when it fits in {@code limit} bytes, otherwise head + marker + tail. */
  public static byte[] apply(byte[] output, int limit) {
    if (output.length <= limit) {
      return output;
    }
    int tail = Math.min(TAIL_BYTES, limit / 4);
    int head = Math.max(0, limit - tail);
    long omitted = (long) output.length - head - tail;
    byte[] mark = marker(omitted).getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(output, head + mark.length + tail);
    System.arraycopy(mark, 0, out, head, mark.length);
    System.arraycopy(output, output.length - tail, out, head + mark.length, tail);
    return out;
  }
}
