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

  /** Blocks until the JVM is asked to stop; returns the exit code. */
  int awaitShutdown() {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  closeAll();
                  stopped.countDown();
                },
                "mschedule-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
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
