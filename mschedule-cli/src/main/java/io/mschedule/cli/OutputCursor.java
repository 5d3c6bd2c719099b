package io.mschedule.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How far one run's output has been shown, counted in bytes of the run's output (both streams, as
 * the agent read them), so output that arrives twice (the snapshot a viewer starts with, then live
 * chunks, then the stored output) is shown once. Turns the bytes into text per stream, holding back
 * a character cut in two until its end arrives.
 */
final class OutputCursor {

  /** A piece of output to show: text of one stream. */
  record Piece(String text, boolean stderr) {}

  private long end;
  private byte[] pendingOut = new byte[0];
  private byte[] pendingErr = new byte[0];

  /** The offset just after the output shown so far. */
  long end() {
    return end;
  }

  /**
   * The part of {@code bytes} (one stream, starting at {@code offset}) not shown yet. A piece that
   * starts beyond what was shown (chunks were lost on the way) is shown from its start.
   */
  List<Piece> take(long offset, byte[] bytes, boolean stderr) {
    long pieceEnd = offset + bytes.length;
    if (pieceEnd <= end) {
      return List.of();
    }
    int skip = (int) Math.max(0, end - offset);
    end = pieceEnd;
    String text = decode(Arrays.copyOfRange(bytes, skip, bytes.length), stderr, false);
    return text.isEmpty() ? List.of() : List.of(new Piece(text, stderr));
  }

  /**
   * As {@link #take}, for output of both streams: {@code streams} are the lengths of its
   * alternating stdout and stderr runs, first stdout (null or empty: all stdout).
   */
  List<Piece> takeAll(long offset, byte[] bytes, List<Integer> streams) {
    List<Piece> out = new ArrayList<>();
    int at = 0;
    boolean stderr = false;
    for (int n : streams == null ? List.<Integer>of() : streams) {
      int len = Math.min(n, bytes.length - at);
      if (len > 0) {
        out.addAll(take(offset + at, Arrays.copyOfRange(bytes, at, at + len), stderr));
      }
      at += Math.max(0, len);
      stderr = !stderr;
    }
    if (at < bytes.length) {
      out.addAll(take(offset + at, Arrays.copyOfRange(bytes, at, bytes.length), false));
    }
    return out;
  }

  /** What is held back of a character cut in two, when no more output will come. */
  List<Piece> flush() {
    List<Piece> out = new ArrayList<>();
    String o = decode(new byte[0], false, true);
    if (!o.isEmpty()) {
      out.add(new Piece(o, false));
    }
    String e = decode(new byte[0], true, true);
    if (!e.isEmpty()) {
      out.add(new Piece(e, true));
    }
    return out;
  }

  private String decode(byte[] more, boolean stderr, boolean last) {
    byte[] pending = stderr ? pendingErr : pendingOut;
    byte[] all = Arrays.copyOf(pending, pending.length + more.length);
    System.arraycopy(more, 0, all, pending.length, more.length);
    int complete = last ? all.length : completePrefix(all);
    byte[] rest = Arrays.copyOfRange(all, complete, all.length);
    if (stderr) {
      pendingErr = rest;
    } else {
      pendingOut = rest;
    }
    return new String(all, 0, complete, StandardCharsets.UTF_8);
  }

  /** The length of {@code b} without a UTF-8 sequence cut short at its end. */
  static int completePrefix(byte[] b) {
    for (int back = 1; back <= Math.min(3, b.length); back++) {
      int lead = b[b.length - back] & 0xff;
      if ((lead & 0xc0) == 0x80) {
        continue; // a continuation byte: look further back for the lead
      }
      int need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
      return need > back ? b.length - back : b.length;
    }
    return b.length;
  }
}
