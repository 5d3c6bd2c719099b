package io.mschedule.master.api;

import java.nio.charset.StandardCharsets;

/**
 * The outcome of a successful copy run, read from its output: the agent writes one line per file,
 * {@code copied DEST} or {@code unchanged DEST}. A run that copied any file is {@code copied}.
 */
final class CopyOutcome {
  static final String COPIED = "copied";
  static final String UNCHANGED = "unchanged";

  private CopyOutcome() {}

  /** {@code copied}, {@code unchanged}, or null when the output says neither (or is unknown). */
  static String of(byte[] output) {
    if (output == null) {
      return null;
    }
    String result = null;
    for (String line : new String(output, StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith(COPIED + " ")) {
        return COPIED;
      }
      if (line.startsWith(UNCHANGED + " ")) {
        result = UNCHANGED;
      }
    }
    return result;
  }
}
