package io.mschedule.master.agents;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets a message about an agent through at most once per interval, so an agent that retries every
 * second does not fill the log with the same line.
 */
public final class OncePerAgent {
  private final Clock clock;
  private final Duration interval;
  private final Map<String, Instant> last = new ConcurrentHashMap<>();

  public OncePerAgent(Clock clock, Duration interval) {
    this.clock = clock;
    this.interval = interval;
  }

  /** True when nothing about {@code key} was let through within the interval. */
  public boolean allow(String key) {
    Instant now = clock.instant();
    boolean[] allowed = {false};
    last.compute(
        key,
        (k, previous) -> {
          if (previous == null || !now.isBefore(previous.plus(interval))) {
            allowed[0] = true;
            return now;
          }
          return previous;
        });
    if (last.size() > 100_000) {
      last.clear(); // a bound, should a flood of ids arrive
    }
    return allowed[0];
  }
}
