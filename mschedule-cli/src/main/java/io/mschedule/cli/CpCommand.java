package io.mschedule.cli;

import io.mschedule.cli.client.FileRequest;
import io.mschedule.cli.client.MasterClient;
import io.mschedule.cli.client.Parallel;
import io.mschedule.cli.client.StoredFile;
import io.mschedule.cli.client.Task;
import io.mschedule.cli.client.TaskRequest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mschedule cp}: copies a local file to the targeted hosts, as a task. */
@Command(
    name = "cp",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Copy a local file to DEST on the targeted agents' hosts.",
      "The file is uploaded to the master once (not again when the master has the same"
          + " content); each agent fetches it, checks its SHA-256 and renames it into place. A"
          + " host that already has the same content at DEST reports 'unchanged', the others"
          + " 'copied'. It is a task like any other: it waits and prints like run."
    },
    footer = {
      "",
      "Exit status: 0 all succeeded, 2 task FAILED, 3 ABORTED, 4 KILLED,",
      "1 usage or API error (or --detach: 0 once submitted).",
      "",
      "Examples:",
      "  mschedule cp app.conf /etc/app/app.conf -t 'web*' --mode 0640 --owner root:app",
      "  mschedule cp release.tar.gz /opt/releases/ -t role=app -p 25%%"
    })
public final class CpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ServerOptions server;

  @Parameters(index = "0", paramLabel = "SRC", description = "The local file.")
  Path source;

  @Parameters(
      index = "1",
      paramLabel = "DEST",
      description =
          "The absolute path on the hosts; ending in '/': that directory, with SRC's name.")
  String dest;

  @Option(
      names = {"-t", "--target"},
      paramLabel = "TARGET",
      description = "Where to copy (repeatable; union), as for run. Default: all.")
  List<String> targets = new ArrayList<>();

  @Option(
      names = {"-p", "--parallel"},
      paramLabel = "N|N%",
      converter = ParallelConverter.class,
      description = "Hosts copying at once: N >= 0 (0 = all at once) or a percentage.")
  Parallel parallel;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description = "Permission bits of the file on the hosts, in octal. Default: 0644.")
  String mode;

  @Option(
      names = "--owner",
      paramLabel = "USER[:GROUP]",
      description = "Owner of the file on the hosts (the agent must be allowed to set it).")
  String owner;

  @Option(names = "--detach", description = "Print the task id and return at once.")
  boolean detach;

  @Option(names = "--json", description = "Print the final task as JSON instead of per host.")
  boolean json;

  @Mixin ColorOption color;

  @Override
  public Integer call() throws InterruptedException {
    String target = destination();
    checkMode(spec, mode);
    checkOwner(spec, owner);
    for (String t : targets) {
      if (t == null || t.isBlank()) {
        throw new ParameterException(spec.commandLine(), "a target must not be empty");
      }
    }
    MasterClient client = server.client();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    StoredFile stored = FileUploads.upload(client, source, err);
    TaskRequest request =
        TaskRequest.ofCopy(List.of(new FileRequest(stored.sha256(), target, mode, owner)), targets)
            .withParallel(parallel);
    Task task = client.submit(request);
    return RunCommand.finish(client, task, detach, json, false, color.colors(), out, err);
  }

  /** DEST, with SRC's name added when DEST names a directory. */
  String destination() {
    if (!dest.startsWith("/")) {
      throw new ParameterException(
          spec.commandLine(), "DEST must be an absolute path on the hosts, got '" + dest + "'");
    }
    return dest.endsWith("/") ? dest + source.getFileName() : dest;
  }

  static void checkMode(CommandSpec spec, String mode) {
    if (mode != null && !mode.matches("0?[0-7]{3}")) {
      throw new ParameterException(
          spec.commandLine(), "--mode must be octal permission bits like 0644, got '" + mode + "'");
    }
  }

  static void checkOwner(CommandSpec spec, String owner) {
    if (owner != null
        && !owner.matches(
            "[A-Za-z0-9_.][A-Za-z0-9_.-]{0,31}(:[A-Za-z0-9_.][A-Za-z0-9_.-]{0,31})?")) {
      throw new ParameterException(
          spec.commandLine(), "--owner must be USER or USER:GROUP, got '" + owner + "'");
    }
  }
}
