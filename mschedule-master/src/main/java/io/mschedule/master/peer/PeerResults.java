package io.mschedule.master.peer;

import io.mschedule.master.dispatch.AgentGateway;
import io.mschedule.master.dispatch.RunOutcome;
import io.mschedule.master.store.RunOrder;
import io.mschedule.protocol.message.OutputChunk;

/**
 * Gateway events of a master sharing its database: once a result is recorded here for a task
 * another master drives, that master is told (an {@code ENDED} row), so it goes on at once; an
 * agent that links here is handed again its runs of tasks other masters drive. Live output is also
 * queued for the viewers on other masters.
 */
public final class PeerResults implements AgentGateway.Events {
  private final AgentGateway.Events local;
  private final OrderQueue notices;
  private final PeerOrderPump pump;
  private final PeerOutput output;

  PeerResults(
      AgentGateway.Events local, OrderQueue notices, PeerOrderPump pump, PeerOutput output) {
    this.local = local;
    this.notices = notices;
    this.pump = pump;
    this.output = output;
  }

  @Override
  public void linkUp(String agentId) {
    local.linkUp(agentId);
    pump.linkUp(agentId);
  }

  @Override
  public void linkDown(String agentId) {
    local.linkDown(agentId);
  }

  @Override
  public void output(String taskId, String agentId, long seq, byte[] data) {
    local.output(taskId, agentId, seq, data);
    output.queue(taskId, agentId, seq, OutputChunk.NO_OFFSET, false, data);
  }

  @Override
  public void output(
      String taskId, String agentId, long seq, long offset, boolean stderr, byte[] data) {
    local.output(taskId, agentId, seq, offset, stderr, data);
    output.queue(taskId, agentId, seq, offset, stderr, data);
  }

  @Override
  public boolean finished(RunOutcome outcome) {
    boolean recorded = local.finished(outcome);
    if (recorded) {
      ended(outcome);
    }
    return recorded;
  }

  /** Results arriving together are stored together (the local events' group commit). */
  @Override
  public void finished(RunOutcome outcome, AgentGateway.Recorded done) {
    local.finished(
        outcome,
        new AgentGateway.Recorded() {
          @Override
          public void recorded(boolean fresh) {
            if (fresh) {
              ended(outcome);
            }
            done.recorded(fresh);
          }

          @Override
          public void failed(RuntimeException error) {
            done.failed(error);
          }
        });
  }

  /** Tells the master driving the task, if another one, that the run ended (queued). */
  private void ended(RunOutcome outcome) {
    notices.add(
        new RunOrder(
            0, RunOrder.Kind.ENDED, outcome.taskId(), outcome.agentId(), outcome.attempt()));
  }
}
