package io.mschedule.master.schedule;

import java.util.List;
import java.util.Map;

/**
 * A new schedule as the API receives it, before validation. Null means the default.
 *
 * @param job {@code JOB} (the newest version at each slot) or {@code JOB@N}
 * @param parallel an integer or a string {@code "N"} / {@code "N%"}
 * @param concurrency {@code allow} (default), {@code forbid} or {@code replace}
 * @param misfire {@code skip} (default) or {@code once}
 * @param retries attempts after the first for a run that failed, timed out or was lost
 * @param retryDelay seconds before the first retry (doubling after)
 */
public record ScheduleRequest(
    String name,
    String job,
    String cron,
    String tz,
    List<String> targets,
    Object parallel,
    Double failRate,
    Integer failCount,
    Integer timeout,
    Map<String, String> env,
    String concurrency,
    String misfire,
    Integer startingDeadline,
    Integer retries,
    Integer retryDelay) {

  /** A request without retry settings. */
  public ScheduleRequest(
      String name,
      String job,
      String cron,
      String tz,
      List<String> targets,
      Object parallel,
      Double failRate,
      Integer failCount,
      Integer timeout,
      Map<String, String> env,
      String concurrency,
      String misfire,
      Integer startingDeadline) {
    this(
        name,
        job,
        cron,
        tz,
        targets,
        parallel,
        failRate,
        failCount,
        timeout,
        env,
        concurrency,
        misfire,
        startingDeadline,
        null,
        null);
  }
}
