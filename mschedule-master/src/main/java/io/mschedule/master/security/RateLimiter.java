package io.mschedule.master.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key (an API token id): {@code rate} requests per second on average, up to
 * {@code burst} at once. A rate of 0 lets everything through. Buckets refill with the time of the
 * given clock; a clock that goes back refills nothing.
 */
final class RateLimiter {
  private static final double NANOS_PER_SECOND = 1e9;

  private final double rate;
  private final double burst;
  private final Clock clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(int perSecond, int burst, Clock clock) {
    this.rate = perSecond;
    this.burst = Math.max(1, burst);
    this.clock = clock;
  }

  /** {@code perSecond} with a burst of twice as many. */
  static RateLimiter perSecond(int perSecond, Clock clock) {
    return new RateLimiter(perSecond, 2 * perSecond, clock);
  }

  boolean enabled() {
    return rate > 0;
  }

  int rate() {
    return (int) rate;
  }

  /** Takes one request from the key's bucket; false when the bucket is empty. */
  boolean tryAcquire(String key) {
    if (rate <= 0) {
      return true;
    }
    Instant now = clock.instant();
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
    synchronized (b) {
      if (now.isAfter(b.last)) {
        double elapsed = Duration.between(b.last, now).toNanos() / NANOS_PER_SECOND;
        b.tokens = Math.min(burst, b.tokens + elapsed * rate);
        b.last = now;
      }
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return true;
      }
      return false;
    }
  }

  private static final class Bucket {
    double tokens;
    Instant last;

    Bucket(double tokens, Instant last) {
      this.tokens = tokens;
      this.last = last;
    }
  }
}
