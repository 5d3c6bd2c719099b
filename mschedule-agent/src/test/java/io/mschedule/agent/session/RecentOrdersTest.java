package io.mschedule.agent.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.protocol.test.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentOrdersTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-11-30T12:00:00Z"));
  private final RecentOrders recent = new RecentOrders(Duration.ofMinutes(20), clock);

  @Test
  void aRunIsTakenOnceWithinTheWindowAndForgottenAfterIt() {
    assertThat(recent.firstTime("t1")).isTrue();
    assertThat(recent.firstTime("t1#2")).isTrue();
    clock.advance(Duration.ofMinutes(20));
    assertThat(recent.firstTime("t1")).isFalse();
    assertThat(recent.firstTime("t1#2")).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(recent.firstTime("t1")).isTrue(); // forgotten: its order is too old to be taken
  }
}
