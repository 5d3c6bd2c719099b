package io.mschedule.master.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AuthFailureThrottleTest {
  private Instant now = Instant.parse("2026-11-30T00:00:00.100Z");
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
          return now;
        }
      };

  @Test
  void anAddressIsThrottledForTheRestOfTheSecondAfterTooManyFailures() {
    AuthFailureThrottle t = new AuthFailureThrottle(clock);
    for (int i = 0; i < AuthFailureThrottle.MAX_PER_SECOND - 1; i++) {
      t.failed("10.0.0.1");
    }
    assertThat(t.throttled("10.0.0.1")).isFalse();
    t.failed("10.0.0.1");
    assertThat(t.throttled("10.0.0.1")).isTrue();
    assertThat(t.throttled("10.0.0.2")).isFalse();
    now = now.plusMillis(950);
    assertThat(t.throttled("10.0.0.1")).isFalse();
  }
}
