package io.mschedule.master.dispatch;

import io.mschedule.master.live.TaskEvents;

/**
 * Where gateways report: links to the coordinator, output to live viewers, outcomes to the store.
 */
public final class DispatchEvents implements AgentGateway.Events, AutoCloseable {
  private final TaskCoordinator coordinator;
  private final ResultRecorder results;
  private final ResultBatcher batcher;
  private final TaskEvents events;

  /**
   * Results given with an answer ({@link #finished(RunOutcome, AgentGateway.Recorded)}) go through
   * a {@link ResultBatcher} of its own (group commit); {@link #close} makes it refuse new ones.
   */
  public DispatchEvents(TaskCoordinator coordinator, ResultRecorder results, TaskEvents events) {
    this.coordinator = coordinator;
    this.results = results;
    this.batcher = new ResultBatcher(results);
    this.events = events;
  }

  @Override
  public void linkUp(String agentId) {
    coordinator.linkUp(agentId);
  }

  @Override
  public void linkDown(String agentId) {
    coordinator.wake();
  }

  @Override
  public void output(String taskId, String agentId, long seq, byte[] data) {
    events.output(taskId, agentId, seq, data);
  }

  @Override
  public void output(
      String taskId, String agentId, long seq, long offset, boolean stderr, byte[] data) {
    events.output(taskId, agentId, seq, offset, stderr, data);
  }

  @Override
  public boolean finished(RunOutcome outcome) {
    return results.record(outcome);
  }

  @Override
  public void finished(RunOutcome outcome, AgentGateway.Recorded done) {
    batcher.submit(outcome, done);
  }

  @Override
  public void close() {
    batcher.close();
  }
}
