package io.mschedule.master.peer;

import io.mschedule.master.store.RunOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows for {@code run_orders} queued in memory and written together by the pump's thread ({@link
 * #flush}): a fan-out's orders, or the ends of runs that arrive together, cost one transaction, and
 * the thread that queues (dispatch, a result's writer) never waits for the database. Rows the
 * database cannot take stay queued, in order, for the next flush.
 */
final class OrderQueue {
  private static final Logger log = LoggerFactory.getLogger(OrderQueue.class);

  private final Consumer<List<RunOrder>> write;
  private final String what;
  private final Deque<RunOrder> queued = new ArrayDeque<>();
  private volatile Runnable onQueued = () -> {};

  /**
   * @param write stores a batch in one transaction
   * @param what what the rows are, for the log
   */
  OrderQueue(Consumer<List<RunOrder>> write, String what) {
    this.write = write;
    this.what = what;
  }

  /** Called when a row was queued (the pump wakes to write it). */
  void onQueued(Runnable r) {
    this.onQueued = r;
  }

  void add(RunOrder row) {
    synchronized (queued) {
      queued.addLast(row);
    }
    onQueued.run();
  }

  /** Writes the queued rows in one transaction; they stay queued when the database fails. */
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
      write.accept(batch);
    } catch (RuntimeException e) {
      synchronized (queued) {
        for (int i = batch.size() - 1; i >= 0; i--) {
          queued.addFirst(batch.get(i));
        }
      }
      log.warn("cannot write {} {} for other masters yet: {}", batch.size(), what, e.toString());
      throw e;
    }
  }
}
