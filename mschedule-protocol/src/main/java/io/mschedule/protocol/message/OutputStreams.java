package io.mschedule.protocol.message;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which bytes of an interleaved output came from stdout and which from stderr: the lengths of its
 * alternating runs, the first one stdout (of length 0 when the output starts with stderr). An empty
 * list means everything is stdout, which is what older agents send. Immutable.
 */
public final class OutputStreams {
  /** Everything is stdout. */
  public static final OutputStreams ALL_STDOUT = new OutputStreams(new int[0]);

  private final int[] runs;

  private OutputStreams(int[] runs) {
    this.runs = runs;
  }

  /**
   * From alternating run lengths, first stdout.
   *
   * @throws IllegalArgumentException when a length is negative
   */
  public static OutputStreams of(int... runs) {
    for (int r : runs) {
      if (r < 0) {
        throw new IllegalArgumentException("a run length is negative: " + r);
      }
    }
    return new OutputStreams(normalise(runs));
  }

  /** From alternating run lengths, first stdout. */
  public static OutputStreams of(List<? extends Number> runs) {
    return of(runs.stream().mapToInt(Number::intValue).toArray());
  }

  /** Drops empty runs inside the list and a trailing stdout-only list. */
  private static int[] normalise(int[] runs) {
    Builder b = new Builder();
    StdStream s = StdStream.STDOUT;
    for (int r : runs) {
      b.add(s, r);
      s = s == StdStream.STDOUT ? StdStream.STDERR : StdStream.STDOUT;
    }
    return b.runs();
  }

  /** The run lengths, alternating from stdout. */
  public int[] runs() {
    return runs.clone();
  }

  /** The run lengths as a list. */
  public List<Integer> runList() {
    return Arrays.stream(runs).boxed().toList();
  }

  /** True when no byte is from stderr. */
  public boolean allStdout() {
    return runs.length == 0;
  }

  /** The number of bytes the runs cover. */
  public long length() {
    long n = 0;
    for (int r : runs) {
      n += r;
    }
    return n;
  }

  /**
   * Checks the runs against the output they describe.
   *
   * @throws IllegalArgumentException when they do not cover exactly {@code outputLength} bytes
   */
  public void check(int outputLength) {
    if (!allStdout() && length() != outputLength) {
      throw new IllegalArgumentException(
          "the stream runs cover " + length() + " bytes but the output has " + outputLength);
    }
  }

  /** The bytes of {@code output} that came from {@code stream}, in order. */
  public byte[] select(byte[] output, StdStream stream) {
    if (allStdout()) {
      return stream == StdStream.STDOUT ? output : new byte[0];
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    StdStream s = StdStream.STDOUT;
    for (int r : runs) {
      int n = Math.min(r, output.length - at);
      if (s == stream && n > 0) {
        out.write(output, at, n);
      }
      at += Math.max(0, n);
      s = other(s);
    }
    if (stream == StdStream.STDOUT && at < output.length) {
      out.write(output, at, output.length - at);
    }
    return out.toByteArray();
  }

  /**
   * The segments of {@code output} in order, each from one stream (what a display walks through).
   */
  public List<Segment> segments(byte[] output) {
    List<Segment> out = new ArrayList<>();
    int at = 0;
    StdStream s = StdStream.STDOUT;
    for (int r : runs) {
      int n = Math.min(r, output.length - at);
      if (n > 0) {
        out.add(new Segment(s, Arrays.copyOfRange(output, at, at + n)));
      }
      at += Math.max(0, n);
      s = other(s);
    }
    if (at < output.length) {
      out.add(new Segment(StdStream.STDOUT, Arrays.copyOfRange(output, at, output.length)));
    }
    return out;
  }

  /** A piece of output from one stream. */
  public record Segment(StdStream stream, byte[] data) {}

  /**
   * The runs after bytes {@code [cutStart, cutEnd)} were replaced by a marker of {@code
   * markerLength} bytes, which counts as stdout.
   */
  OutputStreams cut(int cutStart, int cutEnd, int markerLength) {
    if (allStdout()) {
      return this;
    }
    Builder b = new Builder();
    int at = 0;
    StdStream s = StdStream.STDOUT;
    for (int r : runs) {
      int end = at + r;
      b.add(s, Math.max(0, Math.min(end, cutStart) - at));
      if (at <= cutStart && cutStart <= end && markerLength > 0) {
        b.add(StdStream.STDOUT, markerLength);
        markerLength = 0;
      }
      b.add(s, Math.max(0, end - Math.max(at, cutEnd)));
      at = end;
      s = other(s);
    }
    if (markerLength > 0) {
      b.add(StdStream.STDOUT, markerLength);
    }
    return new OutputStreams(b.runs());
  }

  private static StdStream other(StdStream s) {
    return s == StdStream.STDOUT ? StdStream.STDERR : StdStream.STDOUT;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutputStreams other && Arrays.equals(runs, other.runs);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(runs);
  }

  @Override
  public String toString() {
    return "OutputStreams" + Arrays.toString(runs);
  }

  /** Builds runs from pieces appended in order; neighbours of one stream are merged. */
  public static final class Builder {
    private int[] runs = new int[8];
    private int count;
    private boolean anyStderr;

    /** Appends {@code length} bytes of {@code stream}. */
    public Builder add(StdStream stream, int length) {
      if (length <= 0) {
        return this;
      }
      int index = stream == StdStream.STDOUT ? 0 : 1; // parity of the run it belongs to
      if (count == 0 && index == 1) {
        push(0);
      }
      if (count > 0 && (count - 1) % 2 == index) {
        runs[count - 1] = Math.addExact(runs[count - 1], length);
      } else {
        push(length);
      }
      anyStderr |= index == 1;
      return this;
    }

    private void push(int value) {
      if (count == runs.length) {
        runs = Arrays.copyOf(runs, count * 2);
      }
      runs[count++] = value;
    }

    /** The runs so far; empty when everything is stdout. */
    public int[] runs() {
      return anyStderr ? Arrays.copyOf(runs, count) : new int[0];
    }

    public OutputStreams build() {
      return new OutputStreams(runs());
    }
  }
}
