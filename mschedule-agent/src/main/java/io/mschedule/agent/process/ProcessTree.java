package io.mschedule.agent.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finding and signalling the processes of a run on Linux. */
final class ProcessTree {

  private static final Logger log = LoggerFactory.getLogger(ProcessTree.class);
  private static final Path PROC = Path.of("/proc");
  private static final long KILL_COMMAND_TIMEOUT_MILLIS = 2_000;

  private ProcessTree() {}

  /**
   * The live (not zombie) processes whose session id is {@code sid}, read from {@code /proc}. Empty
   * when {@code /proc} cannot be read.
   */
  static List<ProcessHandle> sessionMembers(long sid) {
    List<ProcessHandle> members = new ArrayList<>();
    if (!Files.isDirectory(PROC)) {
      return members;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, ProcessTree::isPidDir)) {
      for (Path entry : entries) {
        long pid = Long.parseLong(entry.getFileName().toString());
        if (sessionOf(entry) == sid) {
          ProcessHandle.of(pid).ifPresent(members::add);
        }
      }
    } catch (IOException | RuntimeException e) {
      log.debug("cannot list the processes of session {}: {}", sid, e.toString());
    }
    return members;
  }

  /**
   * The session id in {@code /proc/<pid>/stat}, or -1 when the process is gone (or a zombie) or the
   * file cannot be read.
   */
  static long sessionOf(Path procEntry) {
    String stat;
    try {
      stat = Files.readString(procEntry.resolve("stat"), StandardCharsets.ISO_8859_1);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    // "pid (comm) state ppid pgrp session ..."; comm may hold spaces and parentheses.
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      return -1;
    }
    String[] fields = stat.substring(close + 1).trim().split(" ");
    if (fields.length < 4 || fields[0].equals("Z") || fields[0].equals("X")) {
      return -1;
    }
    try {
      return Long.parseLong(fields[3]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The session id of a process, or -1 when it cannot be read. */
  static long sessionOf(long pid) {
    return sessionOf(PROC.resolve(Long.toString(pid)));
  }

  /**
   * The live processes whose environment holds {@code variable=value} exactly, read from {@code
   * /proc/<pid>/environ}. Processes whose environment cannot be read (other users', without
   * privileges) are not found, nor are processes that removed or changed the variable.
   */
  static List<ProcessHandle> withEnvironment(String variable, String value) {
    List<ProcessHandle> found = new ArrayList<>();
    if (!Files.isDirectory(PROC)) {
      return found;
    }
    byte[] entry = (variable + "=" + value).getBytes(StandardCharsets.UTF_8);
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, ProcessTree::isPidDir)) {
      for (Path dir : entries) {
        long pid = Long.parseLong(dir.getFileName().toString());
        if (pid != self && hasEntry(dir.resolve("environ"), entry)) {
          ProcessHandle.of(pid).ifPresent(found::add);
        }
      }
    } catch (IOException | RuntimeException e) {
      log.debug("cannot search the processes for {}: {}", variable, e.toString());
    }
    return found;
  }

  private static boolean hasEntry(Path environ, byte[] entry) {
    byte[] env;
    try {
      env = Files.readAllBytes(environ);
    } catch (IOException | RuntimeException e) {
      return false;
    }
    int start = 0;
    for (int i = 0; i <= env.length; i++) {
      if (i == env.length || env[i] == 0) {
        if (i - start == entry.length
            && java.util.Arrays.equals(env, start, i, entry, 0, entry.length)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }

  /**
   * Sends a signal to every process of a process group at once (kill(2) with a negative pid), via
   * the shell's {@code kill} builtin since Java has no API for it. Failures are logged only: the
   * callers also signal the processes one by one.
   */
  static void signalGroup(long pgid, String signal) {
    ProcessBuilder pb =
        new ProcessBuilder("/bin/sh", "-c", "kill -s " + signal + " -- -" + pgid)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    try {
      Process kill = pb.start();
      kill.getOutputStream().close();
      if (!kill.waitFor(KILL_COMMAND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
        kill.destroyForcibly();
        log.warn("kill -s {} -- -{} did not finish in time", signal, pgid);
      }
    } catch (IOException e) {
      log.warn("cannot run kill -s {} -- -{}: {}", signal, pgid, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean isPidDir(Path entry) {
    String name = entry.getFileName().toString();
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
