package io.mschedule.agent.process;

import java.util.List;

/** Finds processes by a marker in their command line, to prove none was left behind. */
public final class TestProcesses {

  private TestProcesses() {}

  /**
   * The live processes whose command line contains {@code marker} (zombies have no command line and
   * are not listed).
   */
  public static List<ProcessHandle> withCommandLineContaining(String marker) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .toList();
  }

  /** SIGKILLs the processes whose command line contains {@code marker}; for cleaning up. */
  public static void killAll(String marker) {
    withCommandLineContaining(marker).forEach(ProcessHandle::destroyForcibly);
  }
}
