package io.mschedule.cli;

import io.mschedule.cli.client.Run;
import io.mschedule.cli.client.RunState;
import io.mschedule.cli.client.Task;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Prints runs Ansible-style:
 *
 * <pre>
 * web-01 | SUCCESS | rc=0 &gt;&gt;
 * web-01
 * </pre>
 *
 * and the summary line of a task.
 */
final class RunPrinter {
  static final String TRUNCATED = "[output truncated]";

  /** Hosts named per state in the recap; more are counted. */
  static final int RECAP_HOSTS = 50;

  private final PrintWriter out;
  private final Colors colors;
  private HostNames names = HostNames.PLAIN;

  RunPrinter(PrintWriter out) {
    this(out, Colors.PLAIN);
  }

  RunPrinter(PrintWriter out, Colors colors) {
    this.out = out;
    this.colors = colors;
  }

  /** Shows runs under these names from now on. */
  void names(HostNames names) {
    this.names = names;
  }

  /** The run's status line with its output below it (stderr red when colours are on). */
  void block(Run run) {
    out.print(block(run, shownOutput(run, colors), colors, names));
    out.flush();
  }

  /** The run's output as text, with what came from stderr marked by {@link Colors#stderr}. */
  static String shownOutput(Run run, Colors colors) {
    byte[] bytes = run.outputBytes();
    if (!colors.enabled() || bytes == null || run.outputStreams() == null) {
      return run.output();
    }
    OutputCursor cursor = new OutputCursor();
    StringBuilder sb = new StringBuilder();
    List<OutputCursor.Piece> pieces =
        new ArrayList<>(cursor.takeAll(0, bytes, run.outputStreams()));
    pieces.addAll(cursor.flush());
    for (OutputCursor.Piece p : pieces) {
      sb.append(p.stderr() ? colors.stderr(p.text()) : p.text());
    }
    return sb.toString();
  }

  /**
   * The run's status line (its output was shown already), then its error and a truncation note when
   * there are.
   */
  void status(Run run) {
    out.println(header(run, false, colors, names));
    if (run.error() != null && !run.error().isBlank()) {
      out.println("error: " + run.error());
    }
    if (run.truncated()) {
      out.println(TRUNCATED);
    }
    out.flush();
  }

  /** The task's summary line. */
  void summary(Task task) {
    out.println(summaryLine(task, colors));
    out.flush();
  }

  /** The recap of the hosts that did not succeed (nothing when all did). */
  void recap(Task task) {
    out.print(recap(task, colors, names));
    out.flush();
  }

  /** A header describing the task (for {@code mschedule task}). */
  void taskHeader(Task task, ZoneId zone) {
    out.print(taskHeader(task, zone, true));
    out.flush();
  }

  /**
   * {@code host | STATE | rc=N}, followed by {@code " >>"} when output follows. Runs without exit
   * code (waiting, skipped, lost, …) have no {@code rc}.
   */
  static String header(Run run, boolean outputFollows) {
    return header(run, outputFollows, Colors.PLAIN);
  }

  static String header(Run run, boolean outputFollows, Colors colors) {
    return header(run, outputFollows, colors, HostNames.PLAIN);
  }

  static String header(Run run, boolean outputFollows, Colors colors, HostNames names) {
    StringBuilder sb = new StringBuilder();
    sb.append(names.of(run)).append(" | ").append(colors.runState(run.state()));
    if (run.code() != null) {
      sb.append(" | rc=").append(run.code());
    }
    if (run.attempt() != null && run.attempt() > 1) {
      sb.append(" | attempt ").append(run.attempt());
    }
    if (outputFollows) {
      sb.append(" >>");
    }
    return sb.toString();
  }

  /**
   * A whole block: header, the agent's error when there is one ({@code error: ...}), then the
   * output (newline-terminated), then a truncation note.
   */
  static String block(Run run, String output) {
    return block(run, output, Colors.PLAIN);
  }

  static String block(Run run, String output, Colors colors) {
    return block(run, output, colors, HostNames.PLAIN);
  }

  static String block(Run run, String output, Colors colors, HostNames names) {
    boolean hasOutput = output != null && !output.isEmpty();
    boolean hasError = run.error() != null && !run.error().isBlank();
    StringBuilder sb = new StringBuilder();
    sb.append(header(run, hasOutput || hasError || run.code() != null, colors, names)).append('\n');
    if (hasError) {
      sb.append("error: ").append(run.error()).append('\n');
    }
    if (hasOutput) {
      sb.append(output);
      if (!output.endsWith("\n")) {
        sb.append('\n');
      }
    }
    if (run.truncated()) {
      sb.append(TRUNCATED).append('\n');
    }
    return sb.toString();
  }

  /**
   * {@code task ID STATE: SUCCESS=3 FAILED=1 (reason: ...)}: the runs per state, the task's state
   * and, when there is one, the reason it ended so.
   */
  static String summaryLine(Task task) {
    return summaryLine(task, Colors.PLAIN);
  }

  static String summaryLine(Task task, Colors colors) {
    StringBuilder sb = new StringBuilder();
    sb.append("task ").append(task.id()).append(' ');
    sb.append(colors.paint(String.valueOf(task.state()), String.valueOf(task.state())));
    sb.append(": ").append(Formats.counts(task));
    if (task.reason() != null && !task.reason().isBlank()) {
      sb.append(" (reason: ").append(task.reason()).append(')');
    }
    return sb.toString();
  }

  /**
   * The hosts that did not succeed, one line per state in the order of the run states, like {@code
   * FAILED (2): web-02, web-07}; at most {@value #RECAP_HOSTS} names a line. Empty when every run
   * succeeded.
   */
  static String recap(Task task, Colors colors) {
    return recap(task, colors, HostNames.of(task.runs()));
  }

  static String recap(Task task, Colors colors, HostNames names) {
    Map<RunState, List<String>> byState = new EnumMap<>(RunState.class);
    for (Run r : task.runs()) {
      if (r.state() != RunState.SUCCEEDED) {
        byState.computeIfAbsent(r.state(), s -> new ArrayList<>()).add(names.of(r));
      }
    }
    if (byState.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    byState.forEach(
        (state, hosts) -> {
          sb.append(colors.runState(state)).append(" (").append(hosts.size()).append("): ");
          sb.append(String.join(", ", hosts.subList(0, Math.min(hosts.size(), RECAP_HOSTS))));
          if (hosts.size() > RECAP_HOSTS) {
            sb.append(", … and ").append(hosts.size() - RECAP_HOSTS).append(" more");
          }
          sb.append('\n');
        });
    return sb.toString();
  }

  static String taskHeader(Task task, ZoneId zone, boolean withScript) {
    StringBuilder sb = new StringBuilder();
    sb.append("task ").append(task.id()).append(": ").append(task.state());
    if (task.reason() != null && !task.reason().isBlank()) {
      sb.append(" (").append(task.reason()).append(')');
    }
    sb.append('\n');
    sb.append("  created:  ").append(Formats.time(task.createdAt(), zone));
    sb.append("   finished: ").append(Formats.time(task.finishedAt(), zone)).append('\n');
    sb.append("  targets:  ").append(Formats.list(task.targets())).append('\n');
    sb.append("  settings: parallel=")
        .append(orDash(task.parallel()))
        .append(" fail_rate=")
        .append(orDash(task.failRate()))
        .append(" fail_count=")
        .append(orDash(task.failCount()))
        .append(" timeout=")
        .append(orDash(task.timeout()))
        .append('\n');
    if (withScript && task.script() != null) {
      String[] lines = task.script().split("\n", -1);
      int n = task.script().endsWith("\n") ? lines.length - 1 : lines.length;
      sb.append("  script:   ").append(lines.length == 0 ? "" : lines[0]);
      if (n > 1) {
        sb.append("  (+").append(n - 1).append(n == 2 ? " line)" : " lines)");
      }
      sb.append('\n');
    }
    sb.append("  runs:     ")
        .append(task.runs().size())
        .append(" (")
        .append(Formats.counts(task))
        .append(")\n");
    return sb.toString();
  }

  private static String orDash(Object o) {
    return o == null ? "-" : o.toString();
  }
}
