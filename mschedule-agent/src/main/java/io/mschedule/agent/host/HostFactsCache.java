package io.mschedule.agent.host;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Host facts read at most once per refresh period; heartbeats use the cached copy. */
public final class HostFactsCache implements Supplier<HostFacts> {
  private final Clock clock;
  private final Duration refresh;
  private final Supplier<HostFacts> reader;
  private HostFacts facts;
  private Instant readAt;

  public HostFactsCache(Clock clock, Duration refresh, Supplier<HostFacts> reader) {
    this.clock = clock;
    this.refresh = refresh;
    this.reader = reader;
  }

  @Override
  public synchronized HostFacts get() {
    Instant now = clock.instant();
    if (facts == null || !now.isBefore(readAt.plus(refresh))) {
      facts = reader.get();
      readAt = now;
    }
    return facts;
  }
}
