package io.mschedule.relay;

import io.mschedule.protocol.message.RelayMessages;
import io.mschedule.protocol.zerorpc.RemoteErrorException;
import io.mschedule.relay.spool.CallSpool;
import io.mschedule.relay.uplink.MasterUplink;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the spooled results to the master, oldest first, while the session is up; a result leaves
 * the spool once the master answered it (recorded, a duplicate, or refused for good). The master
 * records each result once, so a result that also reached it directly is harmless.
 */
final class SpoolDrain implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SpoolDrain.class);

  /** Master errors after which the result is kept and tried again later. */
  private static final Set<String> RETRY = Set.of("UnknownAgent", "Internal");

  private static final int BATCH = 64;

  private final CallSpool spool;
  private final MasterUplink uplink;
  private final Duration callTimeout;
  private final Thread thread;
  private final Object lock = new Object();
  private boolean wake;
  private volatile boolean closed;

  SpoolDrain(CallSpool spool, MasterUplink uplink, Duration callTimeout) {
    this.spool = spool;
    this.uplink = uplink;
    this.callTimeout = callTimeout;
    this.thread = new Thread(this::run, "relay-spool-drain");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Something was spooled, or the session came up: drain now. */
  void wake() {
    synchronized (lock) {
      wake = true;
      lock.notifyAll();
    }
  }

  private void run() {
    while (!closed) {
      synchronized (lock) {
        if (!wake) {
          try {
            lock.wait(1000);
          } catch (InterruptedException e) {
            return;
          }
        }
        wake = false;
      }
      if (uplink.isUp() && spool.bytes() > 0) {
        drain();
      }
    }
  }

  private void drain() {
    for (CallSpool.Entry e : spool.oldest(BATCH)) {
      if (closed || !uplink.isUp()) {
        return;
      }
      RelayMessages.Call call;
      try {
        call = RelayMessages.Call.decode(decode(e.read()));
      } catch (RuntimeException | IOException ex) {
        log.warn("dropping unreadable spooled result {}: {}", e.file(), ex.toString());
        spool.remove(e);
        continue;
      }
      try {
        uplink.call(call).get(callTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        spool.remove(e);
      } catch (ExecutionException ex) {
        if (ex.getCause() instanceof RemoteErrorException r) {
          if (!RETRY.contains(r.name())) {
            log.warn("the master refused a spooled result: {}: {}", r.name(), r.remoteMessage());
            spool.remove(e);
          }
        } else {
          return; // the session failed: try again when it is back
        }
      } catch (TimeoutException ex) {
        return;
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static Value decode(byte[] bytes) throws IOException {
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
      return u.unpackValue();
    }
  }

  @Override
  public void close() {
    closed = true;
    wake();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
