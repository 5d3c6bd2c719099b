package io.mschedule.cli;

import io.mschedule.cli.client.FileRequest;
import io.mschedule.cli.client.MasterClient;
import io.mschedule.cli.client.Parallel;
import io.mschedule.cli.client.StoredFile;
import io.mschedule.cli.client.TargetPreview;
import io.mschedule.cli.client.Task;
import io.mschedule.cli.client.TaskRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

/** {@code mschedule run}: submits a script and, unless detached, waits for every host. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a shell script on the targeted agents and print what each host prints.",
      "Output shows as it comes (lines prefixed 'host | ' when several hosts run at once),"
          + " with each host's status line when its run ends; then a recap names the hosts"
          + " that did not succeed, and a summary line counts the runs per state. While it"
          + " waits, a progress line shows on standard error (on a terminal only).",
      "The script comes from -c, from FILE, from standard input with '-', or from a job"
          + " version with --job NAME[@N] (without @N: the newest)."
    },
    footer = {
      "",
      "Exit status: 0 all succeeded, 2 task FAILED, 3 ABORTED, 4 KILLED,",
      "1 usage or API error (or --detach: 0 once submitted).",
      "",
      "Examples:",
      "  mschedule run -c 'uptime'",
      "  mschedule run -t 'web*' --timeout 5m --no-interleave -c 'apt-get -q update'",
      "  mschedule run -t role=web -t 'db*' -p 25%% --fail-count 0 deploy.sh",
      "  mschedule run -t 'web*:&dc=east:!web-03' --list-hosts",
      "  echo 'df -h /' | mschedule run -t web-01 -",
      "  mschedule run --job backup@3 -t role=db -e MODE=full"
    })
public final class RunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ServerOptions server;

  @Option(
      names = {"-t", "--target"},
      paramLabel = "TARGET",
      description =
          "Where to run (repeatable; union): all, an agent id, a name or hostname glob (web*),"
              + " or a label k=v (value may be a glob); combine terms with ':' (or), ':&' (and),"
              + " ':!' (not), e.g. 'web*:&dc=east:!web-03'. Default: all.")
  List<String> targets = new ArrayList<>();

  @Option(
      names = {"-p", "--parallel"},
      paramLabel = "N|N%",
      converter = ParallelConverter.class,
      description =
          "Runs in flight at once: N >= 0 (0 = all at once) or a percentage of the targets."
              + " Default: the master's default-parallel setting, 5 unless changed.")
  Parallel parallel;

  @Option(
      names = "--fail-rate",
      paramLabel = "R",
      description =
          "Abort once more than this share of runs failed, 0..1 (default: no rate threshold).")
  Double failRate;

  @Option(
      names = "--fail-count",
      paramLabel = "N",
      description =
          "Abort once more than N runs failed (default: no count threshold); -1 = never abort,"
              + " whatever --fail-rate says.")
  Integer failCount;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Kill a run after this long: 30 (seconds), 30s, 5m, 1h; 0 = none (master default: 0).")
  Duration timeout;

  @Mixin RetryOptions retry;

  @Option(
      names = "--list-hosts",
      description =
          "Print the hosts the targets select and exit without running anything (no script"
              + " needed).")
  boolean listHosts;

  @Option(
      names = {"-e", "--env"},
      paramLabel = "KEY=VALUE",
      description =
          "A parameter for the script, set in its environment (repeatable). Not PATH, HOME,"
              + " SHELL, USER or MSCHEDULE_*.")
  List<String> env = new ArrayList<>();

  @Option(
      names = "--job",
      paramLabel = "NAME[@N]",
      description = "Run this job version instead of a script (without @N: the newest).")
  String job;

  @Option(
      names = "--file",
      paramLabel = "SRC[:NAME]",
      description =
          "A local file the script finds in its working directory, as NAME (default: SRC's"
              + " name); uploaded to the master once, fetched by each agent (repeatable).")
  List<String> files = new ArrayList<>();

  @Option(names = "--detach", description = "Print the task id and return at once.")
  boolean detach;

  @Option(names = "--json", description = "Print the final task as JSON instead of per host.")
  boolean json;

  @Option(
      names = "--no-interleave",
      description = "Print each host's output as one block when its run ends, not line by line.")
  boolean noInterleave;

  @Mixin ColorOption color;

  @Option(
      names = {"-c", "--command"},
      paramLabel = "COMMAND",
      description = "The script, inline.")
  String command;

  @Parameters(
      arity = "0..1",
      paramLabel = "FILE",
      description = "A script file, or '-' to read the script from standard input.")
  String file;

  /** Where '-' reads from. */
  InputStream stdin = System.in;

  @Override
  public Integer call() throws InterruptedException {
    if (listHosts) {
      return listHosts();
    }
    TaskRequest request = request();
    MasterClient client = server.client();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!files.isEmpty()) {
      request = request.withFiles(uploadFiles(client, err));
    }
    Task task = client.submit(request);
    return finish(client, task, detach, json, noInterleave, color.colors(), out, err);
  }

  /** Prints a submitted task and, unless {@code detach}, follows it to its end (as run does). */
  static int finish(
      MasterClient client,
      Task task,
      boolean detach,
      boolean json,
      boolean noInterleave,
      Colors colors,
      PrintWriter out,
      PrintWriter err)
      throws InterruptedException {
    if (detach) {
      if (json) {
        JsonOutput.print(out, task);
      } else {
        out.println(task.id());
        out.flush();
      }
      return ExitCodes.OK;
    }
    err.println(
        "task "
            + task.id()
            + " submitted: "
            + task.runs().size()
            + (task.runs().size() == 1 ? " host" : " hosts"));
    err.flush();
    Task end = followUntilEnd(client, task, json, noInterleave, out, err, colors);
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

  private static Task followUntilEnd(
      MasterClient client,
      Task task,
      boolean json,
      boolean noInterleave,
      PrintWriter out,
      PrintWriter err,
      Colors colors)
      throws InterruptedException {
    Thread hook =
        new Thread(
            () -> {
              err.println();
              err.println(
                  "mschedule: stopped waiting; task "
                      + task.id()
                      + " goes on (stop it with: mschedule kill "
                      + task.id()
                      + ")");
              err.flush();
            });
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      TaskFollower.Mode mode =
          json
              ? TaskFollower.Mode.QUIET
              : noInterleave ? TaskFollower.Mode.BLOCKS : TaskFollower.Mode.LIVE;
      Progress progress = Terminal.stderr() ? Progress.on(err) : Progress.off();
      return new TaskFollower(client, out, err, mode, colors, progress).follow(task.id());
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs
      }
    }
  }

  /** {@code --file SRC[:NAME]}: each file uploaded (unless the master has it) and named. */
  private List<FileRequest> uploadFiles(MasterClient client, PrintWriter err) {
    List<FileRequest> out = new ArrayList<>();
    for (FileArg f : fileArgs()) {
      StoredFile stored = FileUploads.upload(client, f.source(), err);
      out.add(new FileRequest(stored.sha256(), f.name(), FileArg.modeOf(f.source()), null));
    }
    return out;
  }

  /** The --file arguments, checked. */
  List<FileArg> fileArgs() {
    List<FileArg> out = new ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (String f : files) {
      FileArg arg = FileArg.parse(f);
      if (arg == null) {
        throw usage(
            "--file "
                + f
                + ": expected SRC or SRC:NAME, NAME a plain file name (no '/', not '.' or '..')");
      }
      if (!names.add(arg.name())) {
        throw usage("--file: two files are named '" + arg.name() + "'");
      }
      out.add(arg);
    }
    return out;
  }

  /** {@code --list-hosts}: what the targets select, as the master sees it now. */
  private int listHosts() {
    checkTargets();
    TargetPreview preview =
        server.client().previewTargets(targets.isEmpty() ? List.of("all") : targets);
    PrintWriter out = spec.commandLine().getOut();
    if (!preview.errors().isEmpty()) {
      throw new CliException(preview.errors().get(0));
    }
    if (json) {
      JsonOutput.print(out, preview);
      return ExitCodes.OK;
    }
    out.print(HostList.render(preview));
    out.flush();
    return ExitCodes.OK;
  }

  private void checkTargets() {
    for (String t : targets) {
      if (t == null || t.isBlank()) {
        throw usage("a target must not be empty");
      }
    }
  }

  /** Checks the arguments and builds the request; usage errors throw ParameterException. */
  TaskRequest request() {
    byte[] script = job == null ? script() : null;
    if (job != null && (command != null || file != null)) {
      throw usage("give either --job or a script (-c, FILE or '-'), not both");
    }
    if (job != null && job.isBlank()) {
      throw usage("--job needs a job name, NAME or NAME@N");
    }
    if (failRate != null && (failRate.isNaN() || failRate < 0 || failRate > 1)) {
      throw usage("--fail-rate must be between 0 and 1, got " + failRate);
    }
    if (failCount != null && failCount < -1) {
      throw usage("--fail-count must be -1 (never abort) or >= 0, got " + failCount);
    }
    if (timeout != null && timeout.toSeconds() > Integer.MAX_VALUE) {
      throw usage("--timeout is too long: " + timeout.toSeconds() + " seconds");
    }
    checkTargets();
    fileArgs();
    TaskRequest base;
    if (job != null) {
      base = TaskRequest.ofJob(job, targets);
    } else if (command != null) {
      base = TaskRequest.of(new String(script, StandardCharsets.UTF_8), targets);
    } else {
      base = TaskRequest.ofBytes(script, targets); // a file's bytes, untouched
    }
    return base.withEnv(EnvOptions.parse(env, spec.commandLine()))
        .withParallel(parallel)
        .withFailRate(failRate)
        .withFailCount(failCount)
        .withTimeout(timeout == null ? null : (int) timeout.toSeconds())
        .withRetries(retry.retries(), retry.retryDelaySeconds());
  }

  /**
   * The script: -c as text with a final newline, a file or standard input as its bytes, untouched
   * (so a script that is not UTF-8 runs exactly as written, and its SHA-256 is the file's).
   */
  private byte[] script() {
    if (command != null && file != null) {
      throw usage("give the script either with -c or as FILE / '-', not both");
    }
    if (command == null && file == null) {
      throw usage("no script: give -c 'COMMAND', a FILE, or '-' for standard input");
    }
    if (command != null) {
      if (command.isBlank()) {
        throw usage("the script is empty");
      }
      String text = command.endsWith("\n") ? command : command + "\n";
      return text.getBytes(StandardCharsets.UTF_8);
    }
    byte[] script;
    if (file.equals("-")) {
      try {
        script = stdin.readAllBytes();
      } catch (IOException e) {
        throw new CliException("cannot read the script from standard input: " + e.getMessage());
      }
    } else {
      Path path = Path.of(file);
      if (!Files.isRegularFile(path)) {
        throw new CliException("no such script file: " + file);
      }
      try {
        script = Files.readAllBytes(path);
      } catch (IOException e) {
        throw new CliException("cannot read the script file " + file + ": " + e.getMessage());
      }
    }
    if (new String(script, StandardCharsets.ISO_8859_1).isBlank()) {
      throw usage("the script is empty");
    }
    return script;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
