package io.mschedule.agent.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A script started by {@link LocalProcessLauncher}. */
final class LocalProcess implements LaunchedProcess {

  private static final Logger log = LoggerFactory.getLogger(LocalProcess.class);

  private final String taskId;
  private final Process process;
  private final Path workDir;
  private final boolean ownSession;
  private final RunCgroup cgroup; // null when the run has none
  private final String runToken; // null when the environment is not swept

  /** Every process of the tree seen so far; signalled again on each stop request. */
  private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();

  private final InputStream output;
  private final InputStream errorOutput;

  /**
   * Takes hold of the output (stdout and stderr, two pipes) of a process that waits at the
   * launcher's gate.
   *
   * <p>On Linux each is read through a read end of its pipe of our own, opened via {@code
   * /proc/<pid>/fd/1} and {@code fd/2}, and the JDK's read end is closed. The JDK's stream ends
   * when the main process exits (it then drains and closes its end), whatever background processes
   * still write; ours ends only when every process holding the output has closed it, and a read
   * blocked on it is released by {@link #close()} (an interruptible channel). Elsewhere the JDK's
   * stream is used.
   */
  LocalProcess(
      String taskId,
      Process process,
      Path workDir,
      boolean ownSession,
      RunCgroup cgroup,
      String runToken)
      throws IOException {
    this.taskId = taskId;
    this.process = process;
    this.workDir = workDir;
    this.ownSession = ownSession;
    this.cgroup = cgroup;
    this.runToken = runToken;
    FileChannel own = openOwnReadEnd(process, 1);
    if (own != null) {
      this.output = Channels.newInputStream(own);
      process.getInputStream().close();
    } else {
      this.output = process.getInputStream();
    }
    FileChannel ownError = openOwnReadEnd(process, 2);
    if (ownError != null) {
      this.errorOutput = Channels.newInputStream(ownError);
      process.getErrorStream().close();
    } else {
      this.errorOutput = process.getErrorStream();
    }
  }

  private static FileChannel openOwnReadEnd(Process process, int fd) {
    Path pipe = Path.of("/proc", Long.toString(process.pid()), "fd", Integer.toString(fd));
    try {
      if (!Files.readSymbolicLink(pipe).toString().startsWith("pipe:")) {
        return null;
      }
      return FileChannel.open(pipe, StandardOpenOption.READ);
    } catch (IOException | RuntimeException e) {
      log.debug("reading the output through the JDK's stream: {}", e.toString());
      return null;
    }
  }

  @Override
  public long pid() {
    return process.pid();
  }

  /** The run's work directory. */
  Path workDir() {
    return workDir;
  }

  @Override
  public InputStream output() {
    return output;
  }

  @Override
  public InputStream errorOutput() {
    return errorOutput;
  }

  @Override
  public boolean waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
  }

  @Override
  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public int exitCode() {
    try {
      return process.exitValue();
    } catch (IllegalThreadStateException e) {
      throw new IllegalStateException("task " + taskId + " is still running", e);
    }
  }

  @Override
  public void terminate() {
    signal(false);
  }

  @Override
  public void forceKill() {
    signal(true);
  }

  @Override
  public void close() {
    for (InputStream stream : List.of(output, errorOutput)) {
      try {
        stream.close();
      } catch (IOException e) {
        log.debug("task {}: closing the output: {}", taskId, e.toString());
      }
    }
    if (cgroup != null) {
      cgroup.remove();
    }
    WorkDirs.delete(workDir);
  }

  /**
   * With a cgroup, whether it still has a member; otherwise whether the run's session, or a process
   * with the run's environment token, is still there; with neither, it cannot tell (true).
   */
  @Override
  public boolean othersAlive() {
    if (cgroup != null) {
      return cgroup.members().stream().anyMatch(p -> p.pid() != process.pid());
    }
    if (!ownSession && runToken == null) {
      return true;
    }
    return (ownSession
            && ProcessTree.sessionMembers(process.pid()).stream()
                .anyMatch(p -> p.pid() != process.pid()))
        || (runToken != null
            && ProcessTree.withEnvironment(LocalProcessLauncher.RUN_TOKEN_VARIABLE, runToken)
                .stream()
                .anyMatch(p -> p.pid() != process.pid()));
  }

  private void signal(boolean force) {
    String name = force ? "KILL" : "TERM";
    // Take the snapshot first: once the main process is gone its children are reparented to init
    // and no longer show up as its descendants.
    process.toHandle().descendants().forEach(seen::add);
    if (cgroup != null) {
      // Everything the script started, wherever it went: setsid and double forks included.
      seen.addAll(cgroup.members());
      if (force) {
        cgroup.killAll();
      }
    }
    if (runToken != null) {
      seen.addAll(ProcessTree.withEnvironment(LocalProcessLauncher.RUN_TOKEN_VARIABLE, runToken));
    }
    if (ownSession) {
      List<ProcessHandle> members = ProcessTree.sessionMembers(process.pid());
      seen.addAll(members);
      // The group id is the main process id. Signal it only while something still pins that id
      // (the main process, or any member of its session), so it cannot have been reused.
      if (process.isAlive() || !members.isEmpty()) {
        ProcessTree.signalGroup(process.pid(), name);
      }
    }
    if (force) {
      process.destroyForcibly();
    } else {
      process.destroy();
    }
    for (ProcessHandle handle : seen) {
      if (!handle.isAlive()) {
        seen.remove(handle);
      } else if (force) {
        handle.destroyForcibly();
      } else {
        handle.destroy();
      }
    }
    log.debug("task {}: sent SIG{} to the process tree of pid {}", taskId, name, process.pid());
  }
}
