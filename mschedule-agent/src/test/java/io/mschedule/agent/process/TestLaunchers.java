package io.mschedule.agent.process;

/** Launchers with a given way of finding a run's processes, for tests in other packages. */
public final class TestLaunchers {

  private TestLaunchers() {}

  /** A launcher with a cgroup per run, or null when cgroups cannot be made here. */
  public static LocalProcessLauncher withCgroups() {
    LocalProcessLauncher launcher = new LocalProcessLauncher();
    return launcher.usesCgroups() ? launcher : null;
  }

  /** A launcher that relies on sessions and the environment sweep. */
  public static LocalProcessLauncher withoutCgroups() {
    return LocalProcessLauncher.withoutCgroups();
  }
}
