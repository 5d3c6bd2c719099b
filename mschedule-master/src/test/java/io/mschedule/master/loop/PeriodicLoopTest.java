package io.mschedule.master.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mschedule.master.store.jdbc.StoreException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.slf4j.LoggerFactory;

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
  void aDatabaseOutageIsLoggedOnceWhenItStartsAndOnceWhenItEnds(TestInfo info) {
    Logger logger = (Logger) LoggerFactory.getLogger(PeriodicLoop.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    ch.qos.logback.classic.Level before = logger.getLevel();
    logger.setLevel(ch.qos.logback.classic.Level.INFO);
    AtomicInteger calls = new AtomicInteger();
    PeriodicLoop outage =
        new PeriodicLoop(threadName(info), HOUR) {
          @Override
          public void runOnce() {
            if (calls.incrementAndGet() <= 3) {
              throw new StoreException("database error", new SQLException("I/O error", "08006"));
            }
          }
        };
    try {
      outage.start();
      for (int pass = 2; pass <= 4; pass++) {
        int expected = pass;
        await().atMost(WITHIN).until(() -> calls.get() == expected - 1);
        outage.wake();
      }
      await().atMost(WITHIN).until(() -> calls.get() == 4);
      await()
          .atMost(WITHIN)
          .untilAsserted(
              () ->
                  assertThat(logs.list)
                      .extracting(ILoggingEvent::getFormattedMessage)
                      .filteredOn(m -> m.startsWith(threadName(info)))
                      .containsExactly(
                          threadName(info)
                              + ": passes wait for the database: the database is unavailable:"
                              + " database error",
                          threadName(info) + ": the database is reachable again"));
      assertThat(logs.list).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
    } finally {
      outage.close();
      logger.detachAppender(logs);
      logger.setLevel(before);
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
