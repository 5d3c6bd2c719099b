package io.mschedule.master.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Group commit: writes handed over at the same time by several threads are stored together. The
 * first thread in writes for everyone, in batches of at most {@code maxBatch} items, until nothing
 * is left; a thread that hands an item over while another writes returns at once, and the writing
 * thread stores its item. No hand-off when items come one at a time. The batch writer tells each
 * item how its write went (a callback or a future in the item) and must not throw.
 */
public final class GroupCommit<T> {
  private final int maxBatch;
  private final Consumer<List<T>> writeBatch;
  private final Queue<T> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean writing = new AtomicBoolean();

  public GroupCommit(int maxBatch, Consumer<List<T>> writeBatch) {
    this.maxBatch = maxBatch;
    this.writeBatch = writeBatch;
  }

  /** Stores {@code item} with those handed over with it: on this thread or the one writing. */
  public void add(T item) {
    queue.add(item);
    // the check after letting go closes the gap in which an item was queued just after the last
    // drain of the thread that was writing
    while (!queue.isEmpty() && writing.compareAndSet(false, true)) {
      try {
        List<T> batch;
        while (!(batch = drain()).isEmpty()) {
          writeBatch.accept(batch);
        }
      } finally {
        writing.set(false);
      }
    }
  }

  /**
   * Writes {@code batch}; when that fails, writes its items one at a time, so that only an item
   * that cannot be written fails: {@code failed} is told of it. For batch writers of several rows.
   */
  public static <T> void writeOrSplit(
      List<T> batch, Consumer<List<T>> write, BiConsumer<T, RuntimeException> failed) {
    try {
      write.accept(batch);
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        failed.accept(batch.get(0), e);
        return;
      }
      for (T item : batch) {
        writeOrSplit(List.of(item), write, failed);
      }
    }
  }

  private List<T> drain() {
    List<T> batch = new ArrayList<>();
    T item;
    while (batch.size() < maxBatch && (item = queue.poll()) != null) {
      batch.add(item);
    }
    return batch;
  }
}
