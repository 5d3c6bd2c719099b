package io.mschedule.cli;

import io.mschedule.cli.client.Task;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mschedule kill ID}: kills a task's runs and skips its waiting ones. */
@Command(
    name = "kill",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Kill a task: running scripts are killed, waiting runs are skipped.",
      "Prints the task's resulting state; exit status 1 when the task has already ended."
    })
public final class KillCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ServerOptions server;

  @Parameters(
      index = "0",
      paramLabel = "ID",
      description = "The task id, or a unique prefix of it (at least 4 characters).")
  String id;

  @Option(names = "--json", description = "Print the task as JSON.")
  boolean json;

  @Override
  public Integer call() {
    Task task = server.client().kill(id);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(out, task);
    } else {
      StringBuilder line = new StringBuilder("task ").append(task.id()).append(' ');
      line.append(task.state());
      if (task.reason() != null && !task.reason().isBlank()) {
        line.append(" (").append(task.reason()).append(')');
      }
      out.println(line);
      out.flush();
    }
    return ExitCodes.OK;
  }
}
