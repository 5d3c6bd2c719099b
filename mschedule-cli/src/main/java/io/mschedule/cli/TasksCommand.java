package io.mschedule.cli;

import io.mschedule.cli.client.Task;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mschedule tasks}: the recent tasks, newest first. */
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

  @Option(names = "--json", description = "Print the tasks as a JSON array.")
  boolean json;

  @Override
  public Integer call() {
    if (limit < 1) {
      throw new ParameterException(spec.commandLine(), "--limit must be >= 1, got " + limit);
    }
    List<Task> tasks = server.client().tasks(limit);
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
