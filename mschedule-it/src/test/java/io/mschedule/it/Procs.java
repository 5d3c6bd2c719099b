package io.mschedule.it;

import java.util.List;

/** Finds processes by a marker in their command line (unique sleep durations, say). */
final class Procs {
  private Procs() {}

  static List<String> matching(String marker) {
    return ProcessHandle.allProcesses()
        .map(p -> p.info().commandLine().orElse(""))
        .filter(c -> c.contains(marker))
        .toList();
  }

  /** Kills leftovers of a test (scripts orphaned by a kill -9 of their agent). */
  static void killAll(String marker) {
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(marker))
        .forEach(ProcessHandle::destroyForcibly);
  }
}
