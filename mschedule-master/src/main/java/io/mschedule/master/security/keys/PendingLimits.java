package io.mschedule.master.security.keys;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Bounds on keys nobody has accepted yet: at most {@code maxPending} of them (the registry drops
 * the oldest first), and at most {@link #NEW_PER_ADDRESS_PER_MINUTE} new pending keys a minute from
 * one source address (the IP address the transport saw, not one the agent claims).
 */
public final class PendingLimits {
  public static final int NEW_PER_ADDRESS_PER_MINUTE = 30;
  private static final long WINDOW_MILLIS = 60_000;

  /** Addresses tracked at most; past it the window is restarted for everyone. */
  private static final int MAX_ADDRESSES = 100_000;

  private final int maxPending;
  private final Clock clock;
  private final Map<String, Integer> newByAddress = new HashMap<>();
  private long windowStart;

  public PendingLimits(int maxPending, Clock clock) {
    if (maxPending < 1) {
      throw new IllegalArgumentException("maxPending must be at least 1");
    }
    this.maxPending = maxPending;
    this.clock = clock;
    this.windowStart = clock.millis();
  }

  int maxPending() {
    return maxPending;
  }

  /** Counts one new pending key from {@code address}; false when the address is over its rate. */
  synchronized boolean tryNewFrom(String address) {
    if (address == null) {
      return true;
    }
    long now = clock.millis();
    if (now - windowStart >= WINDOW_MILLIS || newByAddress.size() >= MAX_ADDRESSES) {
      newByAddress.clear();
      windowStart = now;
    }
    int n = newByAddress.merge(address, 1, Integer::sum);
    return n <= NEW_PER_ADDRESS_PER_MINUTE;
  }
}
