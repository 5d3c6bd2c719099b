package io.mschedule.master.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Test
  void aBurstThenTheRate() {
    RateLimiter r = new RateLimiter(50, 100, nanos::get);
    for (int i = 0; i < 100; i++) {
      assertThat(r.tryAcquire("a")).as("request %d", i).isTrue();
    }
    assertThat(r.tryAcquire("a")).isFalse();
    assertThat(r.tryAcquire("b")).isTrue();
    nanos.addAndGet(100_000_000L); // 0.1 s: 5 more
    for (int i = 0; i < 5; i++) {
      assertThat(r.tryAcquire("a")).isTrue();
    }
    assertThat(r.tryAcquire("a")).isFalse();
    nanos.addAndGet(60_000_000_000L); // refills to the burst, not beyond
    int ok = 0;
    while (r.tryAcquire("a")) {
      ok++;
    }
    assertThat(ok).isEqualTo(100);
  }

  @Test
  void zeroIsOff() {
    RateLimiter r = new RateLimiter(0, 0, nanos::get);
    assertThat(r.enabled()).isFalse();
    for (int i = 0; i < 10_000; i++) {
      assertThat(r.tryAcquire("a")).isTrue();
    }
  }

  @Test
  void theDefaultBurstIsTwiceTheRate() {
    RateLimiter r = RateLimiter.perSecond(3);
    int ok = 0;
    while (r.tryAcquire("a") && ok < 100) {
      ok++;
    }
    assertThat(ok).isBetween(6, 7);
  }
}
