package io.mschedule.master.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The loop on its real thread; an interval of an hour means a pass came from a wake. */
class PeriodicLoopTest {
  static final Duration HOUR = Duration.ofHours(1);
  static final Duration WITHIN = Duration.ofSeconds(10);

  CountingLoop loop;

  static class CountingLoop extends PeriodicLoop {
    final AtomicInteger passes = new AtomicInteger();
    final AtomicReference<Thread> ranOn = new AtomicReference<>();

    CountingLoop(String name, Duration interval) {
      super(name, interval);
    }

    @Override
    public void runOnce() {
      ranOn.set(Thread.currentThread());
      passes.incrementAndGet();
    }
  }

  static String threadName(TestInfo info) {
    return "test-loop-" + info.getTestMethod().orElseThrow().getName();
  }

  static long threadsNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name) && t.isAlive())
        .count();
  }

  @AfterEach
  void close() {
    if (loop != null) {
      loop.close();
    }
  }

  @Test
  void theFirstPassRunsAtOnceOnTheLoopsThread(TestInfo info) {
    loop = new CountingLoop(threadName(info), HOUR);
    loop.start();

    await().atMost(WITHIN).until(() -> loop.passes.get() == 1);
    assertThat(loop.ranOn.get().getName()).isEqualTo(threadName(info));
    assertThat(loop.ranOn.get().isDaemon()).isTrue();
  }

  @Test
  void wakeAsksForAPassBeforeTheInterval(TestInfo info) {
    loop = new CountingLoop(threadName(info), HOUR);
    loop.start();
    await().atMost(WITHIN).until(() -> loop.passes.get() == 1);

    loop.wake();
    await().atMost(WITHIN).until(() -> loop.passes.get() == 2);
    loop.wake();
    await().atMost(WITHIN).until(() -> loop.passes.get() == 3);
  }

  @Test
  void passesRepeatEveryInterval(TestInfo info) {
    loop = new CountingLoop(threadName(info), Duration.ofMillis(20));
    loop.start();

    await().atMost(WITHIN).until(() -> loop.passes.get() >= 5);
  }

  @Test
  void aFailingPassDoesNotStopTheLoop(TestInfo info) {
    AtomicInteger calls = new AtomicInteger();
    PeriodicLoop failing =
        new PeriodicLoop(threadName(info), HOUR) {
          @Override
          public void runOnce() {
            if (calls.incrementAndGet() <= 2) {
              throw new IllegalStateException("pass " + calls.get() + " failed");
            }
          }
        };
    try {
      failing.start();
      await().atMost(WITHIN).until(() -> calls.get() == 1);
      failing.wake();
      await().atMost(WITHIN).until(() -> calls.get() == 2);
      failing.wake();
      await().atMost(WITHIN).until(() -> calls.get() == 3);
      assertThat(threadsNamed(threadName(info))).isEqualTo(1);
    } finally {
      failing.close();
    }
  }

  @Test
  void closeStopsTheThread(TestInfo info) {
    loop = new CountingLoop(threadName(info), HOUR);
    loop.start();
    await().atMost(WITHIN).until(() -> loop.passes.get() == 1);
    assertThat(threadsNamed(threadName(info))).isEqualTo(1);

    loop.close();

    assertThat(threadsNamed(threadName(info))).isZero();
    loop.wake();
    assertThat(loop.passes.get()).isEqualTo(1);
  }

  @Test
  void startingTwiceStartsOneThread(TestInfo info) {
    loop = new CountingLoop(threadName(info), HOUR);
    loop.start();
    loop.start();

    await().atMost(WITHIN).until(() -> loop.passes.get() == 1);
    assertThat(threadsNamed(threadName(info))).isEqualTo(1);
  }

  @Test
  void closeWithoutStartIsHarmless(TestInfo info) {
    loop = new CountingLoop(threadName(info), HOUR);
    loop.close();
    assertThat(loop.passes.get()).isZero();
    assertThat(threadsNamed(threadName(info))).isZero();
  }
}
