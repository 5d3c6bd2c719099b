package io.mschedule.cli.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Keeps a long-running command alive until SIGTERM/SIGINT, then closes its parts in reverse. */
final class ServiceRunner {
  private final List<AutoCloseable> parts = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);

  void add(AutoCloseable part) {
    synchronized (parts) {
      parts.add(part);
    }
  }

  /** Blocks until the JVM is asked to stop (or {@link #stop()}); returns the exit code. */
  int awaitShutdown() {
    Thread hook = new Thread(this::stop, "mschedule-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook is running
    }
    return 0;
  }

  /** Closes every part and lets {@link #awaitShutdown()} return. */
  void stop() {
    closeAll();
    stopped.countDown();
  }

  void closeAll() {
    List<AutoCloseable> copy;
    synchronized (parts) {
      copy = new ArrayList<>(parts);
      parts.clear();
    }
    for (int i = copy.size() - 1; i >= 0; i--) {
      try {
        copy.get(i).close();
      } catch (Exception e) {
        System.err.println("error while stopping: " + e);
      }
    }
  }
}
