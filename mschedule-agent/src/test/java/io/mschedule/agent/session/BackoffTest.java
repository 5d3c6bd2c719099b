package io.mschedule.agent.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  static final Duration FIRST = Duration.ofSeconds(1);
  static final Duration CAP = Duration.ofSeconds(30);

  static long nextMillis(Backoff b) {
    return b.next().toMillis();
  }

  @Test
  void withoutJitterTheDelayDoublesUpToTheCap() {
    Backoff b = new Backoff(FIRST, CAP, () -> 0.5);
    long[] delays = new long[8];
    for (int i = 0; i < delays.length; i++) {
      delays[i] = nextMillis(b);
    }
    assertThat(delays).containsExactly(1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000);
  }

  @Test
  void resetStartsOverFromTheFirstDelay() {
    Backoff b = new Backoff(FIRST, CAP, () -> 0.5);
    nextMillis(b);
    nextMillis(b);
    nextMillis(b);

    b.reset();

    assertThat(nextMillis(b)).isEqualTo(1000);
    assertThat(nextMillis(b)).isEqualTo(2000);
  }

  @Test
  void jitterIsTwentyPercentEitherWay() {
    assertThat(nextMillis(new Backoff(FIRST, CAP, () -> 0.0))).isEqualTo(800);
    assertThat(nextMillis(new Backoff(FIRST, CAP, () -> 0.999_999))).isEqualTo(1200);
    Backoff capped = new Backoff(CAP, CAP, () -> 0.0);
    assertThat(nextMillis(capped)).isEqualTo(24_000);
  }

  @Test
  void randomDelaysStayWithinTheBoundsAndVary() {
    Backoff b = new Backoff(FIRST, CAP);
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < 500; i++) {
      b.reset();
      long d = nextMillis(b);
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertThat(min).isGreaterThanOrEqualTo(800);
    assertThat(max).isLessThanOrEqualTo(1200);
    assertThat(max - min).as("jitter spreads reconnects").isGreaterThan(100);
    for (int i = 0; i < 20; i++) {
      assertThat(nextMillis(b)).isBetween(800L, 36_000L);
    }
  }
}
