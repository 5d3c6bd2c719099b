package io.mschedule.master.peer;

import io.mschedule.master.store.RunOrder;
import io.mschedule.master.store.RunOrderStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends of runs recorded here for tasks that other masters may drive, queued and written together by
 * the pump's thread ({@link #flush}): results that arrive together cost one transaction, and the
 * thread that stored a result does not wait for the notice. The result itself is stored before its
 * agent is answered; a notice lost with a master that stops is made up for by the driving master
 * when it next reads the task's runs (a takeover) or by the run's timeout.
 */
final class EndedNotices {
  private static final Logger log = LoggerFactory.getLogger(EndedNotices.class);

  private final RunOrderStore orders;
  private final String masterId;
  private final Deque<RunOrder> queued = new ArrayDeque<>();
  private volatile Runnable onQueued = () -> {};

  EndedNotices(RunOrderStore orders, String masterId) {
    this.orders = orders;
    this.masterId = masterId;
  }

  /** Called when a notice was queued (the pump wakes to write it). */
  void onQueued(Runnable r) {
    this.onQueued = r;
  }

  void add(String taskId, String agentId, int attempt) {
    synchronized (queued) {
      queued.addLast(new RunOrder(0, RunOrder.Kind.ENDED, taskId, agentId, attempt));
    }
    onQueued.run();
  }

  /** Writes the queued notices in one transaction; they stay queued when the database fails. */
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
      orders.ended(batch, masterId);
    } catch (RuntimeException e) {
      synchronized (queued) {
        for (int i = batch.size() - 1; i >= 0; i--) {
          queued.addFirst(batch.get(i));
        }
      }
      log.warn("cannot tell other masters of {} ended run(s) yet: {}", batch.size(), e.toString());
      throw e;
    }
  }
}
