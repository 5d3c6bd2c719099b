package io.mschedule.master.task;

import java.time.Instant;

/**
 * One task on one agent. Its output is stored beside it (see {@code TaskStore#output}).
 *
 * @param code exit code, null until the run ends (and for runs that never produced one)
 * @param seq position of the run in the task's dispatch order, from 0
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
    Instant finishedAt) {

  /** A copy in state {@code to}; the transition is checked against {@link RunTransitions}. */
  public Run moveTo(RunState to, Integer code, Instant startedAt, Instant finishedAt) {
    RunTransitions.check(state, to);
    return new Run(taskId, agentId, hostname, seq, to, code, truncated, startedAt, finishedAt);
  }

  public Run withTruncated(boolean t) {
    return new Run(taskId, agentId, hostname, seq, state, code, t, startedAt, finishedAt);
  }
}
