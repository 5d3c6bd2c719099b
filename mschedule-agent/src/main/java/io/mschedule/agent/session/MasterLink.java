package io.mschedule.agent.session;

import io.mschedule.protocol.zerorpc.ZeroRpcClient;
import java.time.Duration;

/** The agent's current connection to the master, for calls made outside the session's thread. */
public final class MasterLink {
  private final Object lock = new Object();
  private ZeroRpcClient client; // guarded by lock

  void connected(ZeroRpcClient c) {
    synchronized (lock) {
      client = c;
      lock.notifyAll();
    }
  }

  void disconnected() {
    synchronized (lock) {
      client = null;
    }
  }

  /** The connected client, waiting up to {@code max} for one; null when there is none by then. */
  ZeroRpcClient await(Duration max) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    synchronized (lock) {
      while (client == null) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return client;
    }
  }
}
