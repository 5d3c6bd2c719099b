package io.mschedule.master.task;

import java.time.Instant;

/**
 * One task on one agent. Its output is stored beside it (see {@code TaskStore#output}).
 *
 * @param code exit code, null until the run ends (and for runs that never produced one)
 * @param seq position of the run in the task's dispatch order, from 0
 * @param error why the run did not end with an exit code of its own (the agent's reason for {@link
 *     RunState#FAILED_TO_START}, why it was lost...), or null
 * @param attempt which attempt this is, from 1: a run its task retries is this run again with the
 *     next number (the earlier attempts are kept apart, see {@code TaskStore#attempts})
 * @param retryAt when a WAITING retry may start; null for a first attempt
 */
public record Run(
    String taskId,
    String agentId,
    String hostname,
    int seq,
    RunState state,
    Integer code,
    boolean truncated,
    Instant startedAt,
    Instant finishedAt,
    String error,
    boolean late,
    int attempt,
    Instant retryAt) {

  /** A first attempt. */
  public Run(
      String taskId,
      String agentId,
      String hostname,
      int seq,
      RunState state,
      Integer code,
      boolean truncated,
      Instant startedAt,
      Instant finishedAt,
      String error,
      boolean late) {
    this(
        taskId,
        agentId,
        hostname,
        seq,
        state,
        code,
        truncated,
        startedAt,
        finishedAt,
        error,
        late,
        1,
        null);
  }

  /** A run without an error. */
  public Run(
      String taskId,
      String agentId,
      String hostname,
      int seq,
      RunState state,
      Integer code,
      boolean truncated,
      Instant startedAt,
      Instant finishedAt) {
    this(
        taskId, agentId, hostname, seq, state, code, truncated, startedAt, finishedAt, null, false);
  }

  /** A run that is not late. */
  public Run(
      String taskId,
      String agentId,
      String hostname,
      int seq,
      RunState state,
      Integer code,
      boolean truncated,
      Instant startedAt,
      Instant finishedAt,
      String error) {
    this(
        taskId,
        agentId,
        hostname,
        seq,
        state,
        code,
        truncated,
        startedAt,
        finishedAt,
        error,
        false);
  }

  /** A copy in state {@code to}; the transition is checked against {@link RunTransitions}. */
  public Run moveTo(RunState to, Integer code, Instant startedAt, Instant finishedAt) {
    RunTransitions.check(state, to);
    return new Run(
        taskId,
        agentId,
        hostname,
        seq,
        to,
        code,
        truncated,
        startedAt,
        finishedAt,
        error,
        late,
        attempt,
        to == RunState.WAITING ? retryAt : null);
  }

  public Run withTruncated(boolean t) {
    return new Run(
        taskId,
        agentId,
        hostname,
        seq,
        state,
        code,
        t,
        startedAt,
        finishedAt,
        error,
        late,
        attempt,
        retryAt);
  }

  public Run withError(String why) {
    return new Run(
        taskId,
        agentId,
        hostname,
        seq,
        state,
        code,
        truncated,
        startedAt,
        finishedAt,
        why,
        false,
        attempt,
        retryAt);
  }

  /** The next attempt of this ended run: WAITING until {@code at}. */
  public Run nextAttempt(Instant at) {
    if (!state.isFinal()) {
      throw new IllegalStateException("attempt " + attempt + " of the run has not ended");
    }
    return new Run(
        taskId,
        agentId,
        hostname,
        seq,
        RunState.WAITING,
        null,
        false,
        null,
        null,
        null,
        false,
        attempt + 1,
        at);
  }

  /** This LOST run with the result its agent sent after all (see {@code late}). */
  public Run withLateResult(Integer lateCode, boolean lateTruncated, String lateError) {
    return new Run(
        taskId,
        agentId,
        hostname,
        seq,
        state,
        lateCode,
        lateTruncated,
        startedAt,
        finishedAt,
        lateError == null ? error : lateError,
        true,
        attempt,
        retryAt);
  }
}
