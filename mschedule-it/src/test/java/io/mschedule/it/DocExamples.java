package io.mschedule.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command examples of a Markdown page: in fenced {@code sh}/{@code bash}/{@code shell} blocks,
 * each command that runs {@code mschedule} (or {@code bin/mschedule}), directly or at the end of a
 * pipe, with its continuation lines. An HTML comment just before a block changes how it is run:
 * {@code <!-- not run: REASON -->} skips it, {@code <!-- exit: N -->} expects exit status N of each
 * of its commands instead of 0.
 */
final class DocExamples {
  private static final Set<String> SHELL = Set.of("sh", "bash", "shell", "console");
  private static final Pattern NOT_RUN = Pattern.compile("<!--\\s*not run:\\s*(.+?)\\s*-->");
  private static final Pattern EXIT = Pattern.compile("<!--\\s*exit:\\s*(\\d+)\\s*-->");
  private static final Pattern COMMAND =
      Pattern.compile("^(\\$ )?(.*\\|\\s*)?(bin/)?mschedule(\\s.*)?$");

  /**
   * One command.
   *
   * @param line where it starts in the page (1-based)
   * @param command as written, continuation lines included, without a leading {@code $ }
   * @param skipped why it is not run, or null
   */
  record Example(String page, int line, String command, int exit, String skipped) {
    @Override
    public String toString() {
      return page + ":" + line + " " + command.replaceAll("\\s*\\\\\\n\\s*", " ");
    }
  }

  private DocExamples() {}

  static List<Example> of(Path root, String page) {
    try {
      return parse(page, Files.readAllLines(root.resolve(page), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Example> parse(String page, List<String> lines) {
    List<Example> out = new ArrayList<>();
    String lastComment = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String stripped = line.strip();
      if (!stripped.startsWith("```")) {
        if (!stripped.isEmpty()) {
          lastComment = stripped.startsWith("<!--") ? stripped : null;
        }
        continue;
      }
      String info = stripped.substring(3).strip();
      String skipped = null;
      int exit = 0;
      if (lastComment != null) {
        Matcher n = NOT_RUN.matcher(lastComment);
        Matcher e = EXIT.matcher(lastComment);
        if (n.matches()) {
          skipped = n.group(1);
        } else if (e.matches()) {
          exit = Integer.parseInt(e.group(1));
        }
      }
      lastComment = null;
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).strip().startsWith("```")) {
        end++;
      }
      if (SHELL.contains(info)) {
        for (int j = i + 1; j < end; j++) {
          int start = j;
          StringBuilder command = new StringBuilder(lines.get(j));
          while (lines.get(j).endsWith("\\") && j + 1 < end) {
            j++;
            command.append('\n').append(lines.get(j));
          }
          String text = command.toString().strip();
          if (COMMAND.matcher(text.lines().findFirst().orElse("")).matches()) {
            out.add(
                new Example(
                    page,
                    start + 1,
                    text.startsWith("$ ") ? text.substring(2) : text,
                    exit,
                    skipped));
          }
        }
      }
      i = end;
    }
    return out;
  }
}
