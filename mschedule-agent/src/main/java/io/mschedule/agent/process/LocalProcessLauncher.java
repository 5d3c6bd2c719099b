package io.mschedule.agent.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scripts as local processes.
 *
 * <p>Each run gets a fresh directory {@code mschedule-run-*} under the request's work directory
 * root. The script is written there as {@value #SCRIPT_FILE_NAME} and run with that directory as
 * its working directory, the agent's environment plus the request's variables, stdin at end of
 * file, and stdout and stderr as two pipes, read apart.
 *
 * <p>Every run starts as a small shell that waits at a gate (one line on stdin). Before opening the
 * gate the launcher takes hold of the output with a read end of its own (see {@link LocalProcess})
 * and moves the shell into the run's cgroup, so even a script that ends at once cannot end before
 * its output is in hand, and nothing the script starts is born outside the cgroup.
 *
 * <p>A script without {@code #!} is run by that same shell, which reads it ({@code . <file>}, with
 * {@code $0} set to the file as {@code /bin/sh <file>} would): a run is {@code setsid} and one
 * shell, two programs. A script with {@code #!} is made executable and its interpreter line is
 * honoured the way Linux does it ({@code <interpreter> [<argument>] <file>}): the shell replaces
 * itself with the interpreter once the gate opens. The launcher starts the interpreter itself
 * rather than the file, so this works on a work directory root mounted {@code noexec} (common for
 * {@code /tmp} on hardened servers), and a missing interpreter is reported as a launch failure with
 * a clear message instead of an exit code.
 *
 * <p>When util-linux {@code setsid} is installed the script runs in a session and process group of
 * its own, so {@link LaunchedProcess#terminate()} and {@link LaunchedProcess#forceKill()} reach
 * every process the script started, even background ones whose parent has already exited (those are
 * reparented to init and are no longer {@linkplain ProcessHandle#descendants() descendants}). The
 * group is signalled at once, then the members of the session and the descendants seen so far are
 * signalled one by one. Without {@code setsid} only the descendants are found.
 *
 * <p>A process that leaves the session ({@code setsid}, a daemon's double fork) is still caught:
 *
 * <ul>
 *   <li>on Linux with a writable cgroup v2 hierarchy (see {@link Cgroups}), each run gets a cgroup
 *       of its own, entered before the gate opens, so everything the script starts is in it and a
 *       stop signals every member ({@code cgroup.kill} for SIGKILL);
 *   <li>otherwise every run's environment holds {@value #RUN_TOKEN_VARIABLE}{@code =<random>}, and
 *       a stop also signals every process whose {@code /proc/<pid>/environ} holds it. A process
 *       that clears or changes its environment ({@code env -i}) escapes this sweep.
 * </ul>
 */
public final class LocalProcessLauncher implements ProcessLauncher {

  private static final Logger log = LoggerFactory.getLogger(LocalProcessLauncher.class);

  /** Name of the script file in the work directory; hidden, so the directory looks empty. */
  public static final String SCRIPT_FILE_NAME = ".mschedule-script";

  /** Where {@code setsid} is looked for. */
  static final List<Path> SETSID_LOCATIONS =
      List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

  private static final String SHELL = "/bin/sh";

  /** The variable in every run's environment that names the run, for finding its processes. */
  public static final String RUN_TOKEN_VARIABLE = "MSCHEDULE_RUN_TOKEN";

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * The shell of a script with {@code #!}: waits for one line on stdin, then replaces itself with
   * the script's interpreter (same process, same session), stdin at end of file. The launcher lets
   * it go once it has taken hold of the output, so even a script that ends at once cannot end
   * before that.
   */
  static final String GATE =
      "IFS= read -r mschedule_gate || exit 125; unset mschedule_gate; exec \"$@\" </dev/null";

  /**
   * The shell of a script without {@code #!}: waits at the same gate, then reads and runs the
   * script file named by {@code $0} itself, stdin at end of file. No second shell is started.
   */
  static final String SOURCE_GATE =
      "IFS= read -r mschedule_gate || exit 125; unset mschedule_gate; exec </dev/null; . \"$0\"";

  private final Path setsid;
  private final Cgroups cgroups;
  private final boolean environmentSweep;

  /**
   * A launcher that uses {@code setsid} when it is installed and a cgroup per run where it can make
   * one (otherwise the environment sweep).
   */
  public LocalProcessLauncher() {
    this(findSetsid(), Cgroups.detect(), true);
  }

  /**
   * A launcher that starts scripts through the given {@code setsid} binary (or in the agent's own
   * process group when it is empty), in a cgroup per run below {@code cgroups} when present, and
   * that sweeps {@code /proc} for the run's environment token on stops of runs without a cgroup
   * when {@code environmentSweep} is set.
   */
  LocalProcessLauncher(Optional<Path> setsid, Optional<Cgroups> cgroups, boolean environmentSweep) {
    this.setsid = setsid.orElse(null);
    this.cgroups = cgroups.orElse(null);
    this.environmentSweep = environmentSweep;
    if (this.setsid == null) {
      log.warn(
          "setsid not found; killing a run reaches only the processes still below its script"
              + " (install util-linux to reach background processes too)");
    }
  }

  /** A launcher that only finds the descendants of the script, for tests of that fallback. */
  static LocalProcessLauncher withoutSessions() {
    return new LocalProcessLauncher(Optional.empty(), Optional.empty(), false);
  }

  /**
   * A launcher without cgroups (sessions and the environment sweep), for tests of that fallback.
   */
  static LocalProcessLauncher withoutCgroups() {
    return new LocalProcessLauncher(findSetsid(), Optional.empty(), true);
  }

  /** True when scripts run in a session of their own. */
  public boolean usesSessions() {
    return setsid != null;
  }

  /** True when each run gets a cgroup of its own. */
  public boolean usesCgroups() {
    return cgroups != null;
  }

  @Override
  public LaunchedProcess launch(LaunchRequest request) throws LaunchException {
    Path workDir = WorkDirs.create(request.workDirRoot());
    boolean started = false;
    try {
      WorkDirs.moveIn(workDir, request.files());
      Path scriptFile = workDir.resolve(SCRIPT_FILE_NAME);
      Optional<Shebang> shebang = Shebang.parse(request.script());
      writeScript(scriptFile, request.script(), shebang.isPresent());
      List<String> command = new ArrayList<>();
      if (setsid != null) {
        command.add(setsid.toString());
      }
      command.addAll(shellCommand(shebang, scriptFile, workDir));
      ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
      builder.environment().putAll(request.env());
      String token = HexFormat.of().formatHex(newToken());
      builder.environment().put(RUN_TOKEN_VARIABLE, token);
      RunCgroup cgroup = newCgroup(request.taskId());
      Process process;
      try {
        process = builder.start();
      } catch (IOException | RuntimeException e) {
        if (cgroup != null) {
          cgroup.remove();
        }
        throw new LaunchException(
            "cannot start " + command.get(0) + ": " + WorkDirs.describe(e), e);
      }
      cgroup = enter(cgroup, process, request.taskId());
      LocalProcess launched;
      try {
        launched =
            new LocalProcess(
                request.taskId(),
                process,
                workDir,
                setsid != null,
                cgroup,
                cgroup == null && environmentSweep ? token : null);
      } catch (IOException | RuntimeException e) {
        process.destroyForcibly();
        if (cgroup != null) {
          cgroup.remove();
        }
        throw new LaunchException("cannot start the script: " + WorkDirs.describe(e), e);
      }
      try {
        request.gate().await();
      } catch (IOException e) {
        throw stopAtGate(process, launched, e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw stopAtGate(process, launched, "the run was interrupted before its script started", e);
      }
      try {
        openGate(process);
      } catch (IOException | RuntimeException e) {
        throw stopAtGate(process, launched, "cannot start the script: " + WorkDirs.describe(e), e);
      }
      started = true;
      log.debug("task {}: started pid {} in {}", request.taskId(), process.pid(), workDir);
      return launched;
    } finally {
      if (!started) {
        WorkDirs.delete(workDir);
      }
    }
  }

  /** Ends a process still waiting at its gate (its script never ran); the failure to throw. */
  private static LaunchException stopAtGate(
      Process process, LocalProcess launched, String why, Exception cause) {
    process.destroyForcibly();
    launched.close();
    return new LaunchException(why, cause);
  }

  private static byte[] newToken() {
    byte[] token = new byte[16];
    RANDOM.nextBytes(token);
    return token;
  }

  /** A new cgroup for a run, or null (no cgroups here, or this one cannot be made). */
  private RunCgroup newCgroup(String taskId) {
    if (cgroups == null) {
      return null;
    }
    try {
      return cgroups.create();
    } catch (IOException | RuntimeException e) {
      log.warn(
          "task {}: cannot make a cgroup below {} ({}); its stop relies on the session and the"
              + " environment sweep",
          taskId,
          cgroups.base(),
          e.toString());
      return null;
    }
  }

  /**
   * Moves the process waiting at the gate into the run's cgroup. Returns the cgroup, or null when
   * it could not be entered (then it is removed).
   */
  private static RunCgroup enter(RunCgroup cgroup, Process process, String taskId) {
    if (cgroup == null) {
      return null;
    }
    try {
      cgroup.add(process.pid());
      return cgroup;
    } catch (IOException | RuntimeException e) {
      log.warn(
          "task {}: cannot move pid {} into {} ({}); its stop relies on the session and the"
              + " environment sweep",
          taskId,
          process.pid(),
          cgroup.dir(),
          e.toString());
      cgroup.remove();
      return null;
    }
  }

  /** The gate shell and what it runs: the script itself, or the interpreter of its #! line. */
  private static List<String> shellCommand(Optional<Shebang> shebang, Path scriptFile, Path workDir)
      throws LaunchException {
    if (shebang.isEmpty()) {
      return List.of(SHELL, "-c", SOURCE_GATE, scriptFile.toString());
    }
    List<String> command = new ArrayList<>(List.of(SHELL, "-c", GATE, "mschedule-gate"));
    command.addAll(interpreterCommand(shebang.get(), workDir));
    command.add(scriptFile.toString());
    return command;
  }

  private static List<String> interpreterCommand(Shebang line, Path workDir)
      throws LaunchException {
    Path interpreter;
    try {
      interpreter = workDir.resolve(line.interpreter());
    } catch (InvalidPathException e) {
      throw new LaunchException(
          "interpreter from the script's #! line is not a valid path: " + e.getMessage(), e);
    }
    if (!Files.isRegularFile(interpreter) || !Files.isExecutable(interpreter)) {
      String hint =
          line.interpreter().endsWith("\r")
                  || (line.argument() != null && line.argument().endsWith("\r"))
              ? " (the script has Windows line endings)"
              : "";
      throw new LaunchException(
          "interpreter "
              + line.interpreter().strip()
              + " from the script's #! line "
              + (Files.exists(interpreter) ? "is not an executable file" : "does not exist")
              + hint);
    }
    List<String> command = new ArrayList<>();
    command.add(interpreter.toString());
    if (line.argument() != null) {
      command.add(line.argument());
    }
    return command;
  }

  private static void writeScript(Path file, byte[] script, boolean executable)
      throws LaunchException {
    try {
      Files.write(file, script);
      EnumSet<PosixFilePermission> permissions =
          EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      if (executable) {
        permissions.add(PosixFilePermission.OWNER_EXECUTE);
      }
      try {
        Files.setPosixFilePermissions(file, permissions);
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: run it as it is
      }
    } catch (IOException | RuntimeException e) {
      throw new LaunchException(
          "cannot write the script to " + file + ": " + WorkDirs.describe(e), e);
    }
  }

  /** Lets the waiting shell go on to run the script. */
  private static void openGate(Process process) throws IOException {
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write('\n');
    }
  }

  private static Optional<Path> findSetsid() {
    return SETSID_LOCATIONS.stream().filter(Files::isExecutable).findFirst();
  }
}
