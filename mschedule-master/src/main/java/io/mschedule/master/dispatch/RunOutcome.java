package io.mschedule.master.dispatch;

import io.mschedule.master.task.RunState;

/**
 * How a run ended on its agent, as a gateway reports it.
 *
 * @param state a final run state
 * @param code the exit code, or null when the run has none
 * @param output the captured output, already bounded by the gateway
 * @param truncated whether output was cut
 * @param error the agent's reason when the run did not end with an exit code of its own, or null
 * @param attempt the attempt of the run that ended, from 1
 */
public record RunOutcome(
    String taskId,
    String agentId,
    RunState state,
    Integer code,
    byte[] output,
    boolean truncated,
    String error,
    int attempt) {

  public RunOutcome {
    if (!state.isFinal()) {
      throw new IllegalArgumentException("an outcome needs a final state, got " + state);
    }
  }

  /** The outcome of a first attempt. */
  public RunOutcome(
      String taskId,
      String agentId,
      RunState state,
      Integer code,
      byte[] output,
      boolean truncated,
      String error) {
    this(taskId, agentId, state, code, output, truncated, error, 1);
  }
}
