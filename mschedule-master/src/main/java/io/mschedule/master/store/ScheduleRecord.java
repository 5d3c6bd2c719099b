package io.mschedule.master.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job run on a cron expression, with the settings of the tasks it creates.
 *
 * @param jobVersion the version to run, or null for the newest at each slot
 * @param cron five fields (minute first) or six (seconds first)
 * @param timeZone an IANA zone id such as {@code Europe/Berlin}
 * @param parallel as a task's {@code parallel} ({@code "N"} or {@code "N%"}), or null
 * @param startingDeadlineSeconds how late a slot may still start, or null for no limit
 * @param lastSlot the newest slot already handled (fired or skipped), or null before the first
 * @param retries as a task's {@code retries}, or null for none
 * @param retryDelay as a task's {@code retry_delay} in seconds, or null for the default
 */
public record ScheduleRecord(
    String name,
    String job,
    Integer jobVersion,
    String cron,
    String timeZone,
    List<String> targets,
    String parallel,
    Double failRate,
    Integer failCount,
    Integer timeoutSeconds,
    Map<String, String> env,
    Concurrency concurrency,
    Misfire misfire,
    Integer startingDeadlineSeconds,
    boolean paused,
    Instant createdAt,
    String createdBy,
    Instant lastSlot,
    Integer retries,
    Integer retryDelay) {

  /** A schedule without retry settings. */
  public ScheduleRecord(
      String name,
      String job,
      Integer jobVersion,
      String cron,
      String timeZone,
      List<String> targets,
      String parallel,
      Double failRate,
      Integer failCount,
      Integer timeoutSeconds,
      Map<String, String> env,
      Concurrency concurrency,
      Misfire misfire,
      Integer startingDeadlineSeconds,
      boolean paused,
      Instant createdAt,
      String createdBy,
      Instant lastSlot) {
    this(
        name,
        job,
        jobVersion,
        cron,
        timeZone,
        targets,
        parallel,
        failRate,
        failCount,
        timeoutSeconds,
        env,
        concurrency,
        misfire,
        startingDeadlineSeconds,
        paused,
        createdAt,
        createdBy,
        lastSlot,
        null,
        null);
  }

  /** What a slot does while the schedule's previous task still runs. */
  public enum Concurrency {
    /** Start the new task anyway. */
    ALLOW,
    /** Skip the slot. */
    FORBID,
    /** Kill the running task, then start the new one. */
    REPLACE
  }

  /** What happens to slots missed while no master ran the schedule. */
  public enum Misfire {
    /** Missed slots are dropped. */
    SKIP,
    /** One catch-up task for the newest missed slot, within the starting deadline. */
    ONCE
  }

  public ScheduleRecord {
    targets = List.copyOf(targets);
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  public ScheduleRecord withPaused(boolean p, Instant newLastSlot) {
    return new ScheduleRecord(
        name,
        job,
        jobVersion,
        cron,
        timeZone,
        targets,
        parallel,
        failRate,
        failCount,
        timeoutSeconds,
        env,
        concurrency,
        misfire,
        startingDeadlineSeconds,
        p,
        createdAt,
        createdBy,
        newLastSlot,
        retries,
        retryDelay);
  }
}
