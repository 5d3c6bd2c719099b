package io.mschedule.master.task;

/**
 * When a task aborts. {@code failCount = -1}: never. Otherwise as soon as failures exceed {@code
 * failCount}, or failures / runs exceeds {@code failRate}.
 */
public final class FailureThreshold {
  private FailureThreshold() {}

  /** The abort reason, or null when the task may go on. */
  public static String check(int failCount, double failRate, int failures, int runs) {
    if (failCount < 0 || failures == 0) {
      return null;
    }
    if (failures > failCount) {
      return String.format(
          "fail_count %d exceeded: %d of %d runs failed", failCount, failures, runs);
    }
    double rate = (double) failures / runs;
    if (rate > failRate) {
      return String.format(
          "fail_rate %s exceeded: %d of %d runs failed (%s)",
          trim(failRate), failures, runs, trim(rate));
    }
    return null;
  }

  private static String trim(double d) {
    String s = String.format("%.3f", d);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s + "0" : s;
  }
}
