package io.mschedule.master.api;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts open live event streams, per caller and in all, and refuses one over either limit with a
 * 429 that names the limit and its setting.
 */
final class StreamSlots {
  private final int perCaller;
  private final int total;
  private final Map<String, Integer> open = new HashMap<>();
  private int all;

  StreamSlots(int perCaller, int total) {
    this.perCaller = perCaller;
    this.total = total;
  }

  /** One open stream; closing it twice frees one slot. */
  interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  synchronized Slot acquire(String caller) {
    if (all >= total) {
      throw limit(
          "the master serves at most " + total + " live event streams at once (max-streams)");
    }
    int mine = open.getOrDefault(caller, 0);
    if (mine >= perCaller) {
      throw limit(
          "this token has "
              + mine
              + " live event streams open, the most it may (max-streams-per-token = "
              + perCaller
              + ")");
    }
    open.put(caller, mine + 1);
    all++;
    boolean[] closed = {false};
    return () -> {
      synchronized (StreamSlots.this) {
        if (closed[0]) {
          return;
        }
        closed[0] = true;
        all--;
        open.computeIfPresent(caller, (k, n) -> n <= 1 ? null : n - 1);
      }
    };
  }

  synchronized int open() {
    return all;
  }

  private static ApiException limit(String message) {
    return new ApiException(429, "too many event streams: " + message, null);
  }
}
