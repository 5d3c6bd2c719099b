package io.mschedule.master.task;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A script submitted for a set of agents.
 *
 * @param parallel runs allowed in flight at once, resolved at submission (0 = all at once)
 * @param failRate abort once failures / runs exceeds it; null = unset
 * @param failCount abort once failures exceed it; null = unset; -1 = failures never abort, whatever
 *     fail_rate says (the original design's meaning)
 * @param timeoutSeconds per run, 0 = none
 * @param createdBy who submitted it (token name), or null
 * @param stopping when not null, the task is being stopped (kill or abort) and ends in this state
 *     once its runs in flight have ended
 * @param env parameters added to the script's environment (empty when none)
 * @param origin the job version, schedule slot or task it comes from ({@link TaskOrigin#NONE})
 * @param files the files the runs put on the hosts ({@link TaskFiles#NONE})
 * @param retry how runs that failed, timed out or were lost are retried ({@link RetryPolicy#NONE})
 */
public record Task(
    String id,
    TaskState state,
    String reason,
    Script script,
    List<String> targets,
    int parallel,
    Double failRate,
    Integer failCount,
    int timeoutSeconds,
    Instant createdAt,
    Instant finishedAt,
    String createdBy,
    TaskState stopping,
    Map<String, String> env,
    TaskOrigin origin,
    TaskFiles files,
    RetryPolicy retry) {

  public Task {
    java.util.Objects.requireNonNull(script, "script");
    targets = List.copyOf(targets);
    env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(env));
    origin = origin == null ? TaskOrigin.NONE : origin;
    files = files == null ? TaskFiles.NONE : files;
    retry = retry == null ? RetryPolicy.NONE : retry;
  }

  /** A task without files or retries. */
  public Task(
      String id,
      TaskState state,
      String reason,
      Script script,
      List<String> targets,
      int parallel,
      Double failRate,
      Integer failCount,
      int timeoutSeconds,
      Instant createdAt,
      Instant finishedAt,
      String createdBy,
      TaskState stopping,
      Map<String, String> env,
      TaskOrigin origin) {
    this(
        id,
        state,
        reason,
        script,
        targets,
        parallel,
        failRate,
        failCount,
        timeoutSeconds,
        createdAt,
        finishedAt,
        createdBy,
        stopping,
        env,
        origin,
        TaskFiles.NONE,
        RetryPolicy.NONE);
  }

  /** This task with {@code newFiles}. */
  public Task withFiles(TaskFiles newFiles) {
    return new Task(
        id,
        state,
        reason,
        script,
        targets,
        parallel,
        failRate,
        failCount,
        timeoutSeconds,
        createdAt,
        finishedAt,
        createdBy,
        stopping,
        env,
        origin,
        newFiles,
        retry);
  }

  /** A task whose script is text. */
  public Task(
      String id,
      TaskState state,
      String reason,
      String script,
      List<String> targets,
      int parallel,
      Double failRate,
      Integer failCount,
      int timeoutSeconds,
      Instant createdAt,
      Instant finishedAt,
      String createdBy,
      TaskState stopping,
      Map<String, String> env,
      TaskOrigin origin) {
    this(
        id,
        state,
        reason,
        Script.of(script),
        targets,
        parallel,
        failRate,
        failCount,
        timeoutSeconds,
        createdAt,
        finishedAt,
        createdBy,
        stopping,
        env,
        origin);
  }

  /** A task without parameters or origin. */
  public Task(
      String id,
      TaskState state,
      String reason,
      String script,
      List<String> targets,
      int parallel,
      Double failRate,
      Integer failCount,
      int timeoutSeconds,
      Instant createdAt,
      Instant finishedAt,
      String createdBy,
      TaskState stopping) {
    this(
        id,
        state,
        reason,
        script,
        targets,
        parallel,
        failRate,
        failCount,
        timeoutSeconds,
        createdAt,
        finishedAt,
        createdBy,
        stopping,
        Map.<String, String>of(),
        TaskOrigin.NONE);
  }

  /**
   * The SHA-256 of the script's bytes (lower-case hex): what the agents check before running it.
   */
  public String scriptSha256() {
    return script.sha256();
  }

  /** A copy in state {@code to}; the transition is checked against {@link TaskTransitions}. */
  public Task moveTo(TaskState to, String reason, Instant finishedAt) {
    TaskTransitions.check(state, to);
    return new Task(
        id,
        to,
        reason,
        script,
        targets,
        parallel,
        failRate,
        failCount,
        timeoutSeconds,
        createdAt,
        finishedAt,
        createdBy,
        stopping,
        env,
        origin,
        files,
        retry);
  }

  /** A copy that is stopping towards {@code end} (ABORTED or KILLED) for {@code why}. */
  public Task stopTowards(TaskState end, String why) {
    if (!end.isFinal() || state.isFinal()) {
      throw new IllegalTransitionException("task", state, end);
    }
    return new Task(
        id,
        state,
        why,
        script,
        targets,
        parallel,
        failRate,
        failCount,
        timeoutSeconds,
        createdAt,
        finishedAt,
        createdBy,
        end,
        env,
        origin,
        files,
        retry);
  }
}
