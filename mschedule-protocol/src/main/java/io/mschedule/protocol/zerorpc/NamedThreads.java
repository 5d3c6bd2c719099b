package io.mschedule.protocol.zerorpc;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code prefix + n}, remembering which threads it made. */
final class NamedThreads implements ThreadFactory {
  private final String prefix;
  private final AtomicInteger count = new AtomicInteger();
  private final Set<Thread> created = ConcurrentHashMap.newKeySet();

  NamedThreads(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread t = new Thread(task, prefix + count.incrementAndGet());
    t.setDaemon(true);
    created.add(t);
    return t;
  }

  /** True on a thread of this factory, e.g. when a handler closes its own server. */
  boolean ownsCurrentThread() {
    return created.contains(Thread.currentThread());
  }
}
