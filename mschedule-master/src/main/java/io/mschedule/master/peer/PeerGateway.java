package io.mschedule.master.peer;

import io.mschedule.master.dispatch.AgentGateway;
import io.mschedule.master.store.RunOrder;
import io.mschedule.master.store.RunOrderStore;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.Task;

/**
 * Reaches agents held by another master: an order is a row in the database, which the master
 * holding the agent picks up and delivers ({@link PeerOrderPump}). Orders are queued in memory and
 * written together by the pump's thread ({@link #flush}), so dispatch never waits for the database
 * and a fan-out's orders cost one transaction.
 */
public final class PeerGateway implements AgentGateway {
  private final PeerDirectory peers;
  private final OrderQueue queued;

  public PeerGateway(RunOrderStore orders, PeerDirectory peers) {
    this.peers = peers;
    this.queued = new OrderQueue(orders::order, "order(s)");
  }

  /** Called when an order was queued (the pump wakes to write it). */
  void onQueued(Runnable r) {
    queued.onQueued(r);
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
    queued.add(new RunOrder(0, kind, task.id(), run.agentId(), run.attempt()));
    return true;
  }

  /** Writes the queued orders in one transaction (they stay queued when the database fails). */
  void flush() {
    queued.flush();
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
