package io.mschedule.agent.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cgroup (v2) of one run. Every process the script starts is born in it and cannot leave it
 * (only a process allowed to write to cgroup files can move itself out), whatever it does with
 * sessions, process groups or its parent: {@code setsid}, double forks and daemons stay in it.
 */
final class RunCgroup {

  private static final Logger log = LoggerFactory.getLogger(RunCgroup.class);

  private static final int REMOVE_ATTEMPTS = 50;
  private static final long REMOVE_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final Path dir;
  private final Path parent;

  RunCgroup(Path dir, Path parent) {
    this.dir = dir;
    this.parent = parent;
  }

  Path dir() {
    return dir;
  }

  /** Moves a process (and so all it will start) into this cgroup. */
  void add(long pid) throws IOException {
    Files.writeString(dir.resolve("cgroup.procs"), Long.toString(pid));
  }

  /** The live processes in this cgroup. */
  List<ProcessHandle> members() {
    List<ProcessHandle> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(dir.resolve("cgroup.procs"), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          ProcessHandle.of(Long.parseLong(line.trim())).ifPresent(out::add);
        }
      }
    } catch (NoSuchFileException e) {
      // removed
    } catch (IOException | RuntimeException e) {
      log.debug("cannot list {}: {}", dir, e.toString());
    }
    return out;
  }

  /**
   * SIGKILLs every process in this cgroup at once ({@code cgroup.kill}, Linux 5.14+), and each
   * member one by one as well (older kernels, and processes being forked meanwhile).
   */
  void killAll() {
    try {
      Files.writeString(dir.resolve("cgroup.kill"), "1");
    } catch (IOException e) {
      log.debug("cannot write {}/cgroup.kill: {}", dir, e.toString());
    }
    members().forEach(ProcessHandle::destroyForcibly);
  }

  /** SIGTERMs every process in this cgroup. */
  void terminateAll() {
    members().forEach(ProcessHandle::destroy);
  }

  /**
   * Removes the cgroup. Processes still in it (background processes a script that ended normally
   * left running on purpose) are moved to the parent cgroup first and keep running.
   */
  void remove() {
    for (int attempt = 0; attempt < REMOVE_ATTEMPTS; attempt++) {
      for (ProcessHandle member : members()) {
        try {
          Files.writeString(parent.resolve("cgroup.procs"), Long.toString(member.pid()));
        } catch (IOException e) {
          log.debug("cannot move pid {} out of {}: {}", member.pid(), dir, e.toString());
        }
      }
      try {
        Files.deleteIfExists(dir);
        return;
      } catch (IOException e) {
        // still busy: a process was exiting or being forked; try again shortly
        LockSupport.parkNanos(REMOVE_RETRY_NANOS);
      }
    }
    log.warn("cannot remove cgroup {}; it is left behind", dir);
  }
}
