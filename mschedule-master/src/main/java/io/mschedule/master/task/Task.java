package io.mschedule.master.task;

import java.time.Instant;
import java.util.List;

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
 */
public record Task(
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

  public Task {
    targets = List.copyOf(targets);
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
        stopping);
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
        end);
  }
}
