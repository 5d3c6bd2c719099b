package io.mschedule.agent.session;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/** Exponential reconnect delay with ±20 % jitter: 1 s, 2 s, 4 s … up to the cap. */
final class Backoff {
  private final Duration first;
  private final Duration cap;
  private final DoubleSupplier random;
  private Duration next;

  Backoff(Duration first, Duration cap) {
    this(first, cap, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * @param random values in [0, 1) that pick the jitter: 0 is 20 % shorter, 0.5 exact, near 1 is 20
   *     % longer
   */
  Backoff(Duration first, Duration cap, DoubleSupplier random) {
    this.first = first;
    this.cap = cap;
    this.random = random;
    this.next = first;
  }

  Duration next() {
    Duration d = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(cap) > 0 ? cap : doubled;
    double jitter = 0.8 + random.getAsDouble() * 0.4;
    return Duration.ofMillis(Math.round(d.toMillis() * jitter));
  }

  void reset() {
    next = first;
  }
}
