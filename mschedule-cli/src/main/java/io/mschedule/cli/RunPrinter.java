package io.mschedule.cli;

import io.mschedule.cli.client.Run;
import io.mschedule.cli.client.Task;
import java.io.PrintWriter;
import java.time.ZoneId;

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

  private final PrintWriter out;

  RunPrinter(PrintWriter out) {
    this.out = out;
  }

  /** The run's status line with its output below it. */
  void block(Run run) {
    out.print(block(run, run.output()));
    out.flush();
  }

  /** The run's status line only (its output was shown already). */
  void status(Run run) {
    out.println(header(run, false));
    out.flush();
  }

  /** The task's summary line. */
  void summary(Task task) {
    out.println(summaryLine(task));
    out.flush();
  }

  /** A header describing the task (for {@code mschedule task}). */
  void taskHeader(Task task, ZoneId zone) {
    out.print(taskHeader(task, zone, true));
    out.flush();
  }

  /** The name a run is shown under: its agent's name, else its hostname, else its agent id. */
  static String host(Run run) {
    if (run.name() != null && !run.name().isBlank()) {
      return run.name();
    }
    return run.hostname() == null || run.hostname().isBlank() ? run.agentId() : run.hostname();
  }

  /**
   * {@code host | STATE | rc=N}, followed by {@code " >>"} when output follows. Runs without exit
   * code (waiting, skipped, lost, …) have no {@code rc}.
   */
  static String header(Run run, boolean outputFollows) {
    StringBuilder sb = new StringBuilder();
    sb.append(host(run)).append(" | ").append(Formats.runState(run.state()));
    if (run.code() != null) {
      sb.append(" | rc=").append(run.code());
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
    boolean hasOutput = output != null && !output.isEmpty();
    boolean hasError = run.error() != null && !run.error().isBlank();
    StringBuilder sb = new StringBuilder();
    sb.append(header(run, hasOutput || hasError || run.code() != null)).append('\n');
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
    StringBuilder sb = new StringBuilder();
    sb.append("task ").append(task.id()).append(' ').append(task.state());
    sb.append(": ").append(Formats.counts(task));
    if (task.reason() != null && !task.reason().isBlank()) {
      sb.append(" (reason: ").append(task.reason()).append(')');
    }
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
