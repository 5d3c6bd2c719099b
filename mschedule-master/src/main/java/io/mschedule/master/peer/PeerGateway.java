package io.mschedule.master.peer;

import io.mschedule.master.dispatch.AgentGateway;
import io.mschedule.master.store.RunOrder;
import io.mschedule.master.store.RunOrderStore;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reaches agents held by another master: an order is a row in the database, which the master
 * holding the agent picks up and delivers ({@link PeerOrderPump}).
 */
public final class PeerGateway implements AgentGateway {
  private static final Logger log = LoggerFactory.getLogger(PeerGateway.class);

  private final RunOrderStore orders;
  private final PeerDirectory peers;

  public PeerGateway(RunOrderStore orders, PeerDirectory peers) {
    this.orders = orders;
    this.peers = peers;
  }

  @Override
  public boolean start(Task task, Run run) {
    return post(RunOrder.Kind.START, task, run);
  }

  @Override
  public boolean kill(Task task, Run run) {
    return post(RunOrder.Kind.KILL, task, run);
  }

  private boolean post(RunOrder.Kind kind, Task task, Run run) {
    if (!isLinked(run.agentId())) {
      return false;
    }
    try {
      orders.order(kind, task.id(), run.agentId(), run.attempt());
      return true;
    } catch (RuntimeException e) {
      log.warn(
          "task {}: cannot pass the {} order for {} on: {}", task.id(), kind, run, e.toString());
      return false;
    }
  }

  @Override
  public boolean isLinked(String agentId) {
    return peers.masterOf(agentId) != null;
  }

  @Override
  public boolean heldElsewhere(String agentId) {
    return isLinked(agentId);
  }
}
