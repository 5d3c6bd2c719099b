package io.mschedule.cli;

import io.mschedule.cli.client.Task;
import io.mschedule.cli.client.TaskState;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mschedule tasks}: the recent tasks, newest first, optionally filtered. */
@Command(
    name = "tasks",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "List recent tasks, newest first.")
public final class TasksCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ServerOptions server;

  @Option(
      names = {"-n", "--limit"},
      paramLabel = "N",
      defaultValue = "20",
      description = "How many tasks (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--state",
      paramLabel = "STATE",
      split = ",",
      description =
          "Only tasks in these states (comma separated or repeated): pending, running,"
              + " succeeded, failed, aborted, killed.")
  List<String> states = List.of();

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description =
          "Only tasks created since WHEN: an ISO date (2026-11-01, UTC), a date-time"
              + " (2026-11-01T08:00:00Z) or a duration back from now (30m, 12h, 7d); the"
              + " master reads it.")
  String since;

  @Option(names = "--json", description = "Print the tasks as a JSON array.")
  boolean json;

  @Override
  public Integer call() {
    if (limit < 1) {
      throw new ParameterException(spec.commandLine(), "--limit must be >= 1, got " + limit);
    }
    List<String> wanted = new ArrayList<>();
    for (String st : states) {
      wanted.add(state(st));
    }
    List<Task> tasks = server.client().tasks(limit, wanted, since);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(out, tasks);
    } else if (tasks.isEmpty()) {
      spec.commandLine().getErr().println("no tasks");
    } else {
      out.print(table(tasks, ZoneId.systemDefault()));
    }
    out.flush();
    return ExitCodes.OK;
  }

  private String state(String value) {
    String v = value.strip().toUpperCase(Locale.ROOT);
    try {
      TaskState st = TaskState.valueOf(v);
      if (st != TaskState.UNKNOWN) {
        return st.name().toLowerCase(Locale.ROOT);
      }
    } catch (IllegalArgumentException unknown) {
      // reported below
    }
    throw new ParameterException(
        spec.commandLine(),
        "--state: unknown task state '"
            + value.strip()
            + "' (expected pending, running, succeeded, failed, aborted or killed)");
  }

  static String table(List<Task> tasks, ZoneId zone) {
    TableFormatter t = new TableFormatter("ID", "STATE", "CREATED", "FINISHED", "RUNS", "TARGETS");
    for (Task task : tasks) {
      t.row(
          task.id(),
          String.valueOf(task.state()),
          Formats.time(task.createdAt(), zone),
          Formats.time(task.finishedAt(), zone),
          Formats.counts(task),
          Formats.list(task.targets()));
    }
    return t.render();
  }
}
