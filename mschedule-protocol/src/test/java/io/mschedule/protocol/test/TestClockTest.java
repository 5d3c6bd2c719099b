package io.mschedule.protocol.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestClockTest {
  private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");

  @Test
  void standsStillUntilMoved() {
    TestClock clock = new TestClock(T0);
    assertThat(clock.instant()).isEqualTo(T0);
    assertThat(clock.millis()).isEqualTo(T0.toEpochMilli());
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);

    assertThat(clock.advance(Duration.ofMillis(1500))).isEqualTo(T0.plusMillis(1500));
    assertThat(clock.instant()).isEqualTo(T0.plusMillis(1500));

    clock.set(T0.minusSeconds(60));
    assertThat(clock.instant()).isEqualTo(T0.minusSeconds(60));
  }

  @Test
  void anotherZoneSharesTheTime() {
    TestClock clock = new TestClock(T0);
    var paris = clock.withZone(ZoneId.of("Europe/Paris"));
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
    clock.advance(Duration.ofHours(1));
    assertThat(paris.instant()).isEqualTo(T0.plusSeconds(3600));
  }

  @Test
  void advancesFromManyThreadsAddUp() throws InterruptedException {
    TestClock clock = new TestClock(T0);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread t =
          new Thread(
              () -> {
                for (int j = 0; j < 1000; j++) {
                  clock.advance(Duration.ofMillis(1));
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(clock.instant()).isEqualTo(T0.plusSeconds(4));
  }
}
