package io.mschedule.agent.session;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runs ordered lately (task and attempt), remembered for as long as their signed order could be
 * accepted again, so an order played a second time does not run twice even after its result was
 * taken by the master. Kept in memory: bounded by the orders of that window.
 */
final class RecentOrders {
  private final Duration window;
  private final Clock clock;
  private final Map<String, Long> seen = new LinkedHashMap<>();

  RecentOrders(Duration window, Clock clock) {
    this.window = window;
    this.clock = clock;
  }

  /** True the first time {@code runKey} is seen within the window; remembers it. */
  synchronized boolean firstTime(String runKey) {
    long now = clock.millis();
    for (Iterator<Long> it = seen.values().iterator(); it.hasNext(); ) {
      if (now - it.next() <= window.toMillis()) {
        break;
      }
      it.remove();
    }
    return seen.putIfAbsent(runKey, now) == null;
  }
}
