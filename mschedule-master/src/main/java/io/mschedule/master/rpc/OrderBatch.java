package io.mschedule.master.rpc;

import java.util.ArrayList;
import java.util.List;

/**
 * Orders that one thread hands out together: a link that batches what it sends (a relay's, which
 * merges a fan-out's order for several agents into one {@code relay_order}) starts its batching
 * window only once the last of them is queued, so no pause of the sending thread splits a fan-out
 * into several copies.
 */
public final class OrderBatch {
  private static final ThreadLocal<List<Runnable>> OPEN = new ThreadLocal<>();

  private OrderBatch() {}

  /** Runs {@code sends}; what {@link #whenDone} was given meanwhile runs after it, in order. */
  public static void of(Runnable sends) {
    if (OPEN.get() != null) {
      sends.run(); // nested: the outer batch ends it
      return;
    }
    List<Runnable> deferred = new ArrayList<>();
    OPEN.set(deferred);
    try {
      sends.run();
    } finally {
      OPEN.remove();
      deferred.forEach(Runnable::run);
    }
  }

  /** Runs {@code action} at the end of this thread's open batch, or now when none is open. */
  public static void whenDone(Runnable action) {
    List<Runnable> deferred = OPEN.get();
    if (deferred == null) {
      action.run();
    } else {
      deferred.add(action);
    }
  }
}
