package io.mschedule.master.loop;

import java.time.Duration;

/** A wait that can be cut short by {@link #wake()}; wakes that arrive while running are kept. */
public final class Waiter {
  private final Object lock = new Object();
  private boolean woken;

  public void wake() {
    synchronized (lock) {
      woken = true;
      lock.notifyAll();
    }
  }

  /**
   * Waits up to {@code max} unless woken; returns at once if a wake arrived since the last call.
   */
  public void await(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (lock) {
      while (!woken) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        lock.wait(Math.max(1, left / 1_000_000), 0);
      }
      woken = false;
    }
  }
}
