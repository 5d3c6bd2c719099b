package io.mschedule.agent.process;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The {@code #!} line of a script, split as Linux does: the interpreter is the first word after
 * {@code #!}, everything after it up to the end of the line (trimmed) is one optional argument.
 *
 * @param interpreter the interpreter as written, e.g. {@code /usr/bin/env}
 * @param argument the single optional argument, e.g. {@code perl}, or null
 */
record Shebang(String interpreter, String argument) {

  /** The longest {@code #!} line looked at. */
  static final int MAX_LINE_BYTES = 4096;

  /**
   * The {@code #!} line of the script, or empty when the script does not start with {@code #!}.
   *
   * @throws LaunchException when the script starts with {@code #!} but names no interpreter
   */
  static Optional<Shebang> parse(byte[] script) throws LaunchException {
    if (script.length < 2 || script[0] != '#' || script[1] != '!') {
      return Optional.empty();
    }
    int end = 2;
    while (end < script.length && end < MAX_LINE_BYTES && script[end] != '\n') {
      end++;
    }
    String line = new String(script, 2, end - 2, StandardCharsets.UTF_8);
    int i = skipBlanks(line, 0);
    int wordEnd = i;
    while (wordEnd < line.length() && !isBlank(line.charAt(wordEnd))) {
      wordEnd++;
    }
    String interpreter = line.substring(i, wordEnd);
    if (interpreter.isEmpty()) {
      throw new LaunchException("the script's #! line names no interpreter");
    }
    String rest = line.substring(skipBlanks(line, wordEnd));
    int restEnd = rest.length();
    while (restEnd > 0 && isBlank(rest.charAt(restEnd - 1))) {
      restEnd--;
    }
    rest = rest.substring(0, restEnd);
    return Optional.of(new Shebang(interpreter, rest.isEmpty() ? null : rest));
  }

  private static int skipBlanks(String s, int from) {
    int i = from;
    while (i < s.length() && isBlank(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
