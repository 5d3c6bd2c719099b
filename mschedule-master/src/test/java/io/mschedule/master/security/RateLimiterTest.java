package io.mschedule.master.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.protocol.test.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void aBurstThenTheRate() {
    RateLimiter r = new RateLimiter(50, 100, clock);
    for (int i = 0; i < 100; i++) {
      assertThat(r.tryAcquire("a")).as("request %d", i).isTrue();
    }
    assertThat(r.tryAcquire("a")).isFalse();
    assertThat(r.tryAcquire("b")).isTrue();
    clock.advance(Duration.ofMillis(100)); // 0.1 s: 5 more
    for (int i = 0; i < 5; i++) {
      assertThat(r.tryAcquire("a")).isTrue();
    }
    assertThat(r.tryAcquire("a")).isFalse();
    clock.advance(Duration.ofMinutes(1)); // refills to the burst, not beyond
    int ok = 0;
    while (r.tryAcquire("a")) {
      ok++;
    }
    assertThat(ok).isEqualTo(100);
  }

  @Test
  void aClockGoingBackRefillsNothing() {
    RateLimiter r = new RateLimiter(10, 1, clock);
    assertThat(r.tryAcquire("a")).isTrue();
    assertThat(r.tryAcquire("a")).isFalse();
    clock.advance(Duration.ofHours(-1));
    assertThat(r.tryAcquire("a")).isFalse();
    clock.advance(Duration.ofHours(1)); // back where it was: still nothing has refilled
    assertThat(r.tryAcquire("a")).isFalse();
    clock.advance(Duration.ofMillis(100));
    assertThat(r.tryAcquire("a")).isTrue();
  }

  @Test
  void zeroIsOff() {
    RateLimiter r = new RateLimiter(0, 0, clock);
    assertThat(r.enabled()).isFalse();
    for (int i = 0; i < 10_000; i++) {
      assertThat(r.tryAcquire("a")).isTrue();
    }
  }

  @Test
  void theDefaultBurstIsTwiceTheRate() {
    RateLimiter r = RateLimiter.perSecond(3, clock);
    int ok = 0;
    while (r.tryAcquire("a") && ok < 100) {
      ok++;
    }
    assertThat(ok).isEqualTo(6);
  }
}
