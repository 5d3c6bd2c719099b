package io.mschedule.cli;

import io.mschedule.cli.client.MasterClient;
import io.mschedule.cli.client.Run;
import io.mschedule.cli.client.Task;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mschedule task ID}: one task with all its runs, or its live output. */
@Command(
    name = "task",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Show one task with all its runs and their output.",
    footer = {
      "",
      "Exit status: 0; with --follow the task's end decides, as for 'run':",
      "0 SUCCEEDED, 2 FAILED, 3 ABORTED, 4 KILLED; 1 on errors."
    })
public final class TaskCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ServerOptions server;

  @Parameters(index = "0", paramLabel = "ID", description = "The task id.")
  String id;

  @Option(
      names = {"-f", "--follow"},
      description =
          "Stream the output live (prefixed by host when several hosts run) until the task ends.")
  boolean follow;

  @Option(names = "--json", description = "Print the task as JSON (at its end with --follow).")
  boolean json;

  @Override
  public Integer call() throws InterruptedException {
    MasterClient client = server.client();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!follow) {
      Task task = client.task(id);
      if (json) {
        JsonOutput.print(out, task);
      } else {
        print(out, task, ZoneId.systemDefault());
      }
      return ExitCodes.OK;
    }
    if (!json) {
      new RunPrinter(out).taskHeader(client.task(id), ZoneId.systemDefault());
      out.println();
    }
    TaskFollower.Mode mode = json ? TaskFollower.Mode.QUIET : TaskFollower.Mode.LIVE;
    Task end = new TaskFollower(client, out, err, mode).follow(id);
    if (json) {
      JsonOutput.print(out, end);
    } else {
      out.println();
      new RunPrinter(out).summary(end);
    }
    return ExitCodes.forTask(end.state());
  }

  /** The header, then one block per run (runs still going show their state only). */
  static void print(PrintWriter out, Task task, ZoneId zone) {
    RunPrinter printer = new RunPrinter(out);
    printer.taskHeader(task, zone);
    if (!task.runs().isEmpty()) {
      out.println();
    }
    for (Run run : task.runs()) {
      printer.block(run);
    }
    out.flush();
  }
}
