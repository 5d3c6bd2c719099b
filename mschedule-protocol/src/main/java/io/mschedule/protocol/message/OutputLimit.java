package io.mschedule.protocol.message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cuts output to a size limit, keeping the head and a tail with a marker between them: {@code
 * \n[mschedule: N bytes of output omitted]\n}, where N is the number of bytes of the script's
 * output that are left out.
 *
 * <p>Output can be cut twice (the agent cuts it to its own limit, the master to its own). A marker
 * already present in the part being cut is recognised: its count is carried into the new marker and
 * its own bytes are not counted as output, so N stays the true number of omitted output bytes. A
 * marker that the cut would split is removed whole.
 */
public final class OutputLimit {
  /** How much of the end of the output is kept when it is cut. */
  public static final int TAIL_BYTES = 64 * 1024;

  private static final byte[] MARKER_START = "\n[mschedule: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MARKER_END =
      " bytes of output omitted]\n".getBytes(StandardCharsets.US_ASCII);

  /** The longest count a marker can hold (a long). */
  private static final int MAX_DIGITS = 19;

  private OutputLimit() {}

  public static String marker(long omitted) {
    return "\n[mschedule: " + omitted + " bytes of output omitted]\n";
  }

  /** The output itself when it fits in {@code limit} bytes, otherwise head + marker + tail. */
  public static byte[] apply(byte[] output, int limit) {
    return apply(output, OutputStreams.ALL_STDOUT, limit).output();
  }

  /** An output with the streams its bytes came from. */
  public record Limited(byte[] output, OutputStreams streams) {}

  /**
   * As {@link #apply(byte[], int)}, and the stream runs of the result: those of the kept bytes,
   * with the marker counted as stdout.
   */
  public static Limited apply(byte[] output, OutputStreams streams, int limit) {
    if (output.length <= limit) {
      return new Limited(output, streams);
    }
    int tail = Math.min(TAIL_BYTES, limit / 4);
    int cutStart = Math.max(0, limit - tail);
    int cutEnd = output.length - tail;
    long omitted = 0;
    // Markers overlapping the cut: widen the cut to take them whole, and count what they stand for.
    int searchFrom = Math.max(0, cutStart - markerMaxLength() + 1);
    int at;
    while ((at = indexOf(output, MARKER_START, searchFrom, cutEnd)) >= 0) {
      Marker found = markerAt(output, at);
      if (found == null) {
        searchFrom = at + 1;
        continue;
      }
      if (found.end() <= cutStart) {
        searchFrom = found.end();
        continue;
      }
      cutStart = Math.min(cutStart, at);
      cutEnd = Math.max(cutEnd, found.end());
      omitted += found.omitted() - found.length();
      searchFrom = found.end();
    }
    omitted += (long) cutEnd - cutStart;
    byte[] mark = marker(omitted).getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(output, cutStart + mark.length + (output.length - cutEnd));
    System.arraycopy(mark, 0, out, cutStart, mark.length);
    System.arraycopy(output, cutEnd, out, cutStart + mark.length, output.length - cutEnd);
    return new Limited(out, streams.cut(cutStart, cutEnd, mark.length));
  }

  /** A marker found in output: where it ends (exclusive), its length and its count. */
  private record Marker(int end, int length, long omitted) {}

  /** The marker starting at {@code at}, or null when the bytes there are not a whole marker. */
  private static Marker markerAt(byte[] output, int at) {
    int i = at + MARKER_START.length;
    int digitsStart = i;
    while (i < output.length && i - digitsStart < MAX_DIGITS && isDigit(output[i])) {
      i++;
    }
    if (i == digitsStart || !startsWith(output, i, MARKER_END)) {
      return null;
    }
    long count;
    try {
      count =
          Long.parseLong(
              new String(output, digitsStart, i - digitsStart, StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      return null;
    }
    int end = i + MARKER_END.length;
    return new Marker(end, end - at, count);
  }

  private static int markerMaxLength() {
    return MARKER_START.length + MAX_DIGITS + MARKER_END.length;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private static boolean startsWith(byte[] data, int at, byte[] prefix) {
    if (at + prefix.length > data.length) {
      return false;
    }
    for (int k = 0; k < prefix.length; k++) {
      if (data[at + k] != prefix[k]) {
        return false;
      }
    }
    return true;
  }

  /** The first index in [from, to) where {@code needle} starts, or -1. */
  private static int indexOf(byte[] data, byte[] needle, int from, int to) {
    byte first = needle[0];
    for (int i = from; i < to; i++) {
      if (data[i] == first && startsWith(data, i, needle)) {
        return i;
      }
    }
    return -1;
  }
}
