package io.mschedule.master.security;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts refused authentications per client address in one-second windows; an address with {@link
 * #MAX_PER_SECOND} refusals in the current second is throttled (429) until the next one, so a
 * client cannot try tokens at the speed of the network.
 */
final class AuthFailureThrottle {
  static final int MAX_PER_SECOND = 10;

  /** Addresses tracked at most per window; a flood from more addresses restarts the window. */
  private static final int MAX_ADDRESSES = 100_000;

  private final Clock clock;
  private final Map<String, Integer> failures = new HashMap<>();
  private long second;

  AuthFailureThrottle(Clock clock) {
    this.clock = clock;
    this.second = clock.millis() / 1000;
  }

  /** True when {@code address} has used up its refusals for this second. */
  synchronized boolean throttled(String address) {
    roll();
    return failures.getOrDefault(address, 0) >= MAX_PER_SECOND;
  }

  synchronized void failed(String address) {
    roll();
    if (failures.size() >= MAX_ADDRESSES) {
      failures.clear();
    }
    failures.merge(address, 1, Integer::sum);
  }

  private void roll() {
    long now = clock.millis() / 1000;
    if (now != second) {
      second = now;
      failures.clear();
    }
  }
}
