package io.mschedule.cli.log;

/**
 * Makes text from the outside (hostnames, labels, messages) safe for one line of a log or a
 * terminal: control characters (newlines and ANSI escapes included) and the Unicode bidi controls
 * (U+202A–U+202E, U+2066–U+2069, and the marks U+200E, U+200F, U+061C) become {@code \\uXXXX}, and
 * a backslash becomes {@code \\\\} so an escape cannot be faked.
 */
public final class Escaper {
  private Escaper() {}

  /** Whether {@code c} must be escaped. */
  public static boolean unsafe(int c) {
    return Character.isISOControl(c)
        || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200E
        || c == 0x200F
        || c == 0x061C;
  }

  public static String escape(String s) {
    if (s == null) {
      return null;
    }
    int i = 0;
    while (i < s.length() && !unsafe(s.charAt(i)) && s.charAt(i) != '\\') {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length() + 16).append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        sb.append("\\\\");
      } else if (unsafe(c)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Like {@link #escape}, but keeps line breaks followed by a tab (the frames of a stack trace),
   * and tabs. Only for text the master produces itself around a message, like a stack trace.
   */
  public static String escapeTrace(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean frameBreak =
          c == '\n'
              && (i + 1 == s.length()
                  || s.charAt(i + 1) == '\t'
                  || s.startsWith("Caused by: ", i + 1)
                  || s.startsWith("Suppressed: ", i + 1));
      if (frameBreak || c == '\t' || !unsafe(c)) {
        sb.append(c);
      } else {
        sb.append(String.format("\\u%04x", (int) c));
      }
    }
    return sb.toString();
  }
}
