package io.mschedule.master.peer;

import io.mschedule.master.dispatch.AgentGateway;
import io.mschedule.master.dispatch.RunOutcome;
import io.mschedule.master.store.RunOrderStore;
import io.mschedule.protocol.message.OutputChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gateway events of a master sharing its database: once a result is recorded here for a task
 * another master drives, that master is told (an {@code ENDED} row), so it goes on at once; an
 * agent that links here is handed again its runs of tasks other masters drive. Live output is also
 * queued for the viewers on other masters.
 */
public final class PeerResults implements AgentGateway.Events {
  private static final Logger log = LoggerFactory.getLogger(PeerResults.class);

  private final AgentGateway.Events local;
  private final RunOrderStore orders;
  private final String masterId;
  private final PeerOrderPump pump;
  private final PeerOutput output;

  public PeerResults(
      AgentGateway.Events local,
      RunOrderStore orders,
      String masterId,
      PeerOrderPump pump,
      PeerOutput output) {
    this.local = local;
    this.orders = orders;
    this.masterId = masterId;
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

  /** Tells the master driving the task, if another one, that the run ended. */
  private void ended(RunOutcome outcome) {
    {
      try {
        orders.ended(outcome.taskId(), outcome.agentId(), outcome.attempt(), masterId);
      } catch (RuntimeException e) {
        // the result is stored; the master driving the task reads it when it next loads the task's
        // runs (a takeover), or declares the run lost past its timeout
        log.warn(
            "task {}: cannot tell the master driving it that the run on {} ended: {}",
            outcome.taskId(),
            outcome.agentId(),
            e.toString());
      }
    }
  }
}
