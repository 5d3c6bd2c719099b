package io.mschedule.master.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OncePerAgentTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.EPOCH);

  private final Clock clock =
      new Clock() {
        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };

  @Test
  void eachAgentIsLetThroughOncePerInterval() {
    OncePerAgent limit = new OncePerAgent(clock, Duration.ofMinutes(1));
    assertThat(limit.allow("a1")).isTrue();
    assertThat(limit.allow("a1")).isFalse();
    assertThat(limit.allow("a2")).as("another agent has its own minute").isTrue();

    now.set(Instant.EPOCH.plusSeconds(59));
    assertThat(limit.allow("a1")).isFalse();
    now.set(Instant.EPOCH.plusSeconds(60));
    assertThat(limit.allow("a1")).isTrue();
    assertThat(limit.allow("a1")).isFalse();
  }
}
