package io.mschedule.master.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (an API token id): {@code rate} requests per second on average, up to
 * {@code burst} at once. A rate of 0 lets everything through.
 */
final class RateLimiter {
  private static final double NANOS_PER_SECOND = 1e9;

  private final double rate;
  private final double burst;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(int perSecond, int burst, LongSupplier nanoTime) {
    this.rate = perSecond;
    this.burst = Math.max(1, burst);
    this.nanoTime = nanoTime;
  }

  /** {@code perSecond} with a burst of twice as many. */
  static RateLimiter perSecond(int perSecond) {
    return new RateLimiter(perSecond, 2 * perSecond, System::nanoTime);
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
    long now = nanoTime.getAsLong();
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
    synchronized (b) {
      double elapsed = Math.max(0, now - b.last) / NANOS_PER_SECOND;
      b.tokens = Math.min(burst, b.tokens + elapsed * rate);
      b.last = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return true;
      }
      return false;
    }
  }

  private static final class Bucket {
    double tokens;
    long last;

    Bucket(double tokens, long last) {
      this.tokens = tokens;
      this.last = last;
    }
  }
}
