package io.mschedule.master.task;

/**
 * When a task aborts. Each threshold works on its own: with {@code failCount} set, once failures
 * exceed it; with {@code failRate} set, once failures / runs exceeds it; with both, whichever is
 * passed first; with neither, never. {@code failCount = -1} disables both.
 */
public final class FailureThreshold {
  private FailureThreshold() {}

  /** The abort reason, or null when the task may go on. */
  public static String check(Integer failCount, Double failRate, int failures, int runs) {
    if (failures == 0 || (failCount != null && failCount < 0)) {
      return null;
    }
    if (failCount != null && failures > failCount) {
      return String.format(
          "fail_count %d exceeded: %d of %d runs failed", failCount, failures, runs);
    }
    double rate = (double) failures / runs;
    if (failRate != null && rate > failRate) {
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
