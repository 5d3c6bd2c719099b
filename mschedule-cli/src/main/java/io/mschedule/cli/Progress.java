package io.mschedule.cli;

import java.io.PrintWriter;

/**
 * A progress line on standard error ({@code 42/500 done, 3 failed}), redrawn in place. It is
 * cleared before anything else is printed, so it never mixes with output lines.
 */
final class Progress {
  private static final String CLEAR_LINE = "\r\u001b[K";

  private final PrintWriter err;
  private final boolean enabled;
  private String shown;

  private Progress(PrintWriter err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  /** A progress line on {@code err}. */
  static Progress on(PrintWriter err) {
    return new Progress(err, true);
  }

  /** No progress line. */
  static Progress off() {
    return new Progress(null, false);
  }

  static String line(int done, int total, int failed) {
    return done + "/" + total + " done, " + failed + " failed";
  }

  /** Shows the line (unless the same one is shown). */
  void show(int done, int total, int failed) {
    if (!enabled || total <= 0) {
      return;
    }
    String line = line(done, total, failed);
    if (line.equals(shown)) {
      return;
    }
    err.print(CLEAR_LINE + line);
    err.flush();
    shown = line;
  }

  /** Removes the line, if shown. */
  void clear() {
    if (shown != null) {
      err.print(CLEAR_LINE);
      err.flush();
      shown = null;
    }
  }
}
