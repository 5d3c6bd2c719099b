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

  @Parameters(
      index = "0",
      paramLabel = "ID",
      description = "The task id, or a unique prefix of it (at least 4 characters).")
  String id;

  @Option(
      names = {"-f", "--follow"},
      description =
          "Print the output so far, then stream it live (prefixed by host when several hosts"
              + " run at once) until the task ends.")
  boolean follow;

  @Option(names = "--json", description = "Print the task as JSON (at its end with --follow).")
  boolean json;

  @Mixin ColorOption color;

  @Override
  public Integer call() throws InterruptedException {
    MasterClient client = server.client();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Colors colors = color.colors();
    Task task = client.task(id);
    if (!follow) {
      if (json) {
        JsonOutput.print(out, task);
      } else {
        print(out, task, ZoneId.systemDefault(), colors);
      }
      return ExitCodes.OK;
    }
    if (!json) {
      new RunPrinter(out, colors).taskHeader(task, ZoneId.systemDefault());
      out.println();
    }
    TaskFollower.Mode mode = json ? TaskFollower.Mode.QUIET : TaskFollower.Mode.LIVE;
    Progress progress = !json && Terminal.stderr() ? Progress.on(err) : Progress.off();
    Task end = new TaskFollower(client, out, err, mode, colors, progress).follow(task.id());
    if (json) {
      JsonOutput.print(out, end);
    } else {
      out.println();
      RunPrinter printer = new RunPrinter(out, colors);
      printer.names(HostNames.of(end.runs()));
      printer.recap(end);
      printer.summary(end);
    }
    return ExitCodes.forTask(end.state());
  }

  /** The header, then one block per run (runs still going show their state only). */
  static void print(PrintWriter out, Task task, ZoneId zone) {
    print(out, task, zone, Colors.PLAIN);
  }

  static void print(PrintWriter out, Task task, ZoneId zone, Colors colors) {
    RunPrinter printer = new RunPrinter(out, colors);
    printer.names(HostNames.of(task.runs()));
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
