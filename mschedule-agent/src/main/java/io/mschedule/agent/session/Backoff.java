package io.mschedule.agent.session;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential reconnect delay with ±20 % jitter: 1 s, 2 s, 4 s … up to the cap. */
final class Backoff {
  private final Duration first;
  private final Duration cap;
  private Duration next;

  Backoff(Duration first, Duration cap) {
    this.first = first;
    this.cap = cap;
    this.next = first;
  }

  Duration next() {
    Duration d = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(cap) > 0 ? cap : doubled;
    double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
    return Duration.ofMillis((long) (d.toMillis() * jitter));
  }

  void reset() {
    next = first;
  }
}
