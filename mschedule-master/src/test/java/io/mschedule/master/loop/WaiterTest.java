package io.mschedule.master.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WaiterTest {
  static final Duration HOUR = Duration.ofHours(1);
  static final Duration WITHIN = Duration.ofSeconds(10);

  final Waiter waiter = new Waiter();

  @Test
  void aWakeBeforeTheWaitEndsItAtOnce() {
    waiter.wake();
    assertTimeoutPreemptively(WITHIN, () -> waiter.await(HOUR));
  }

  @Test
  void aWakeIsUsedUpByOneWait() {
    waiter.wake();
    waiter.wake(); // wakes do not add up
    assertTimeoutPreemptively(WITHIN, () -> waiter.await(HOUR));

    long start = System.nanoTime();
    assertTimeoutPreemptively(WITHIN, () -> waiter.await(Duration.ofMillis(50)));
    assertThat(System.nanoTime() - start)
        .as("the second wait was not cut short")
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
  }

  @Test
  void aWakeFromAnotherThreadEndsAWaitInProgress() throws Exception {
    AtomicReference<Thread> waiting = new AtomicReference<>();
    CompletableFuture<Void> done =
        CompletableFuture.runAsync(
            () -> {
              waiting.set(Thread.currentThread());
              try {
                waiter.await(HOUR);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    await()
        .atMost(WITHIN)
        .until(
            () -> waiting.get() != null && waiting.get().getState() == Thread.State.TIMED_WAITING);
    assertThat(done).isNotDone();

    waiter.wake();

    done.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void aWaitEndsWhenItsTimeIsUp() {
    long start = System.nanoTime();
    assertTimeoutPreemptively(WITHIN, () -> waiter.await(Duration.ofMillis(30)));
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
  }

  @Test
  void anInterruptedWaitThrows() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> waiter.await(HOUR)).isInstanceOf(InterruptedException.class);
    } finally {
      Thread.interrupted();
    }
  }
}
