package io.mschedule.cli;

import io.mschedule.cli.client.RunState;
import java.util.Map;

/** Colours run and task states with ANSI escapes, or leaves them plain. */
final class Colors {
  static final Colors PLAIN = new Colors(false);
  static final Colors ANSI = new Colors(true);

  private static final String GREEN = "\u001b[32m";
  private static final String RED = "\u001b[31m";
  private static final String YELLOW = "\u001b[33m";
  private static final String CYAN = "\u001b[36m";
  private static final String RESET = "\u001b[0m";

  private final boolean on;

  private Colors(boolean on) {
    this.on = on;
  }

  /**
   * Colours on a terminal, unless {@code --no-color} was given or {@code NO_COLOR} is set to
   * anything but the empty string (no-color.org).
   */
  static Colors choose(boolean noColorOption, Map<String, String> env, boolean stdoutIsTerminal) {
    String noColor = env.get("NO_COLOR");
    boolean off = noColorOption || (noColor != null && !noColor.isEmpty()) || !stdoutIsTerminal;
    return off ? PLAIN : ANSI;
  }

  boolean enabled() {
    return on;
  }

  /**
   * Output the script wrote to stderr: each line red (the escapes close before every line break, so
   * a host prefix on the next line stays plain); unchanged without colours.
   */
  String stderr(String text) {
    if (!on || text.isEmpty()) {
      return text;
    }
    StringBuilder sb = new StringBuilder();
    int from = 0;
    while (from < text.length()) {
      int nl = text.indexOf('\n', from);
      int lineEnd = nl < 0 ? text.length() : nl;
      if (lineEnd > from) {
        sb.append(RED).append(text, from, lineEnd).append(RESET);
      }
      if (nl < 0) {
        break;
      }
      sb.append('\n');
      from = nl + 1;
    }
    return sb.toString();
  }

  /** A run state as printed (SUCCEEDED reads SUCCESS), coloured by what it means. */
  String runState(RunState state) {
    return paint(Formats.runState(state), state.name());
  }

  /**
   * {@code text} coloured after the run or task state named {@code state}: success green, failure
   * red, stopped yellow, skipped cyan, anything else plain.
   */
  String paint(String text, String state) {
    if (!on || state == null) {
      return text;
    }
    String code =
        switch (state) {
          case "SUCCEEDED", "SUCCESS" -> GREEN;
          case "FAILED", "FAILED_TO_START", "TIMED_OUT", "LOST" -> RED;
          case "KILLED", "ABORTED" -> YELLOW;
          case "SKIPPED" -> CYAN;
          default -> null;
        };
    return code == null ? text : code + text + RESET;
  }
}
