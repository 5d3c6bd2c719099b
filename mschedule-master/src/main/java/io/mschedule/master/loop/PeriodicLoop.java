package io.mschedule.master.loop;

import io.mschedule.master.store.DatabaseOutage;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background loop: one pass ({@link #runOnce()}) every {@code interval} or sooner when woken. A
 * failing pass is logged and the loop carries on; a pass that fails because the database cannot be
 * reached is logged in one line when the outage starts and once when it ends. Tests call {@link
 * #runOnce()} directly.
 */
public abstract class PeriodicLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeriodicLoop.class);

  private final String name;
  private final Duration interval;
  private final Waiter waiter = new Waiter();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private Thread thread;
  private boolean databaseDown;

  protected PeriodicLoop(String name, Duration interval) {
    this.name = name;
    this.interval = interval;
  }

  /** One pass of the loop's work. */
  public abstract void runOnce();

  public synchronized void start() {
    if (thread != null) {
      return;
    }
    thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Asks for a pass as soon as possible. */
  public void wake() {
    waiter.wake();
  }

  private void loop() {
    while (!stopping.get()) {
      try {
        runOnce();
        if (databaseDown) {
          databaseDown = false;
          log.info("{}: the database is reachable again", name);
        }
      } catch (RuntimeException | Error e) {
        failed(e);
      }
      try {
        waiter.await(interval);
      } catch (InterruptedException e) {
        if (!stopping.get()) {
          log.warn("{}: interrupted unexpectedly, continuing", name);
        }
      }
    }
  }

  private void failed(Throwable e) {
    if (!DatabaseOutage.is(e)) {
      log.error("{}: pass failed, continuing", name, e);
    } else if (!databaseDown) {
      databaseDown = true;
      log.warn("{}: passes wait for the database: {}", name, DatabaseOutage.message(e));
    }
  }

  @Override
  public void close() {
    stopping.set(true);
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
