package io.mschedule.master.dispatch;

import io.mschedule.master.task.RunOutput;
import io.mschedule.master.task.RunState;
import java.util.List;

/**
 * How a run ended on its agent, as a gateway reports it.
 *
 * @param state a final run state
 * @param code the exit code, or null when the run has none
 * @param output the captured output, already bounded by the gateway
 * @param truncated whether output was cut
 * @param error the agent's reason when the run did not end with an exit code of its own, or null
 * @param streamRuns lengths of the alternating stdout and stderr runs of {@code output}, first
 *     stdout; empty when it is all stdout
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
    List<Integer> streamRuns,
    int attempt) {

  /** The output with its streams, as stored. */
  public RunOutput runOutput() {
    return new RunOutput(output, streamRuns);
  }

  public RunOutcome {
    streamRuns = streamRuns == null ? List.of() : List.copyOf(streamRuns);
    if (!state.isFinal()) {
      throw new IllegalArgumentException("an outcome needs a final state, got " + state);
    }
  }

  /** The outcome of a first attempt whose output is all stdout. */
  public RunOutcome(
      String taskId,
      String agentId,
      RunState state,
      Integer code,
      byte[] output,
      boolean truncated,
      String error) {
    this(taskId, agentId, state, code, output, truncated, error, List.of(), 1);
  }
}
