package io.mschedule.master.peer;

import io.mschedule.master.dispatch.AgentGateway;
import io.mschedule.master.store.RunOrder;
import io.mschedule.master.store.RunOrderStore;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.Task;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reaches agents held by another master: an order is a row in the database, which the master
 * holding the agent picks up and delivers ({@link PeerOrderPump}). Orders are queued in memory and
 * written together by the pump's thread ({@link #flush}), so dispatch never waits for the database
 * and a fan-out's orders cost one transaction.
 */
public final class PeerGateway implements AgentGateway {
  private static final Logger log = LoggerFactory.getLogger(PeerGateway.class);

  private final RunOrderStore orders;
  private final PeerDirectory peers;
  private final Deque<RunOrder> queued = new ArrayDeque<>();
  private volatile Runnable onQueued = () -> {};

  public PeerGateway(RunOrderStore orders, PeerDirectory peers) {
    this.orders = orders;
    this.peers = peers;
  }

  /** Called when an order was queued (the pump wakes to write it). */
  void onQueued(Runnable r) {
    this.onQueued = r;
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
    synchronized (queued) {
      queued.addLast(new RunOrder(0, kind, task.id(), run.agentId(), run.attempt()));
    }
    onQueued.run();
    return true;
  }

  /**
   * Writes the queued orders in one transaction. When the database cannot take them they stay
   * queued, in order, for the next call.
   */
  void flush() {
    List<RunOrder> batch;
    synchronized (queued) {
      if (queued.isEmpty()) {
        return;
      }
      batch = new ArrayList<>(queued);
      queued.clear();
    }
    try {
      orders.order(batch);
    } catch (RuntimeException e) {
      synchronized (queued) {
        for (int i = batch.size() - 1; i >= 0; i--) {
          queued.addFirst(batch.get(i));
        }
      }
      log.warn("cannot pass {} order(s) to other masters yet: {}", batch.size(), e.toString());
      throw e;
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
