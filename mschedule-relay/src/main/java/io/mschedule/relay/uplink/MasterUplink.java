package io.mschedule.relay.uplink;

import io.mschedule.protocol.message.RelayMessages;
import io.mschedule.protocol.zerorpc.ClientOptions;
import io.mschedule.protocol.zerorpc.ClientStream;
import io.mschedule.protocol.zerorpc.CurveKeys;
import io.mschedule.protocol.zerorpc.RemoteErrorException;
import io.mschedule.protocol.zerorpc.StreamListener;
import io.mschedule.protocol.zerorpc.ZeroRpcClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.msgpack.value.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's one session with a master: register, open the order stream, carry agents' calls
 * (small ones in batches, {@link CallBatcher}); on any failure reconnect forever with backoff (1 s
 * … 30 s), moving to the next master endpoint.
 */
public final class MasterUplink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MasterUplink.class);
  private static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /** A master endpoint and its public key. */
  public record Endpoint(String endpoint, byte[] key) {}

  private final String relayId;
  private final List<Endpoint> masters;
  private final CurveKeys.KeyPair keys;
  private final Supplier<RelayMessages.Registration> registration;
  private final Duration callTimeout;
  private final int maxMessageBytes;
  private final UplinkListener listener;
  private final java.util.function.LongSupplier spoolBytes;
  private final Thread thread;
  private final CallBatcher batcher;
  private final Object lock = new Object();
  private volatile boolean closed;
  private volatile ZeroRpcClient current;

  public MasterUplink(
      String relayId,
      List<Endpoint> masters,
      CurveKeys.KeyPair keys,
      Supplier<RelayMessages.Registration> registration,
      Duration callTimeout,
      int maxMessageBytes,
      java.util.function.LongSupplier spoolBytes,
      UplinkListener listener) {
    this.spoolBytes = spoolBytes;
    this.relayId = relayId;
    this.masters = List.copyOf(masters);
    this.keys = keys;
    this.registration = registration;
    this.callTimeout = callTimeout;
    this.maxMessageBytes = maxMessageBytes;
    this.listener = listener;
    this.batcher =
        new CallBatcher(
            relayId,
            () -> current,
            callTimeout,
            CallBatcher.WINDOW_MICROS,
            CallBatcher.HEARTBEAT_WINDOW_MICROS);
    this.thread = new Thread(this::run, "relay-uplink");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** True while the session is up (registered, accepted, order stream open). */
  public boolean isUp() {
    return current != null;
  }

  /**
   * Carries one agent call to the master; the future holds the master's reply, or fails with the
   * master's error ({@link RemoteErrorException}) or {@link UplinkDownException}.
   */
  public CompletableFuture<Value> call(RelayMessages.Call call) {
    return batcher.call(call);
  }

  /** Tells the master an agent's order stream ended here (best effort). */
  public void unlink(String agentId, long stream) {
    ZeroRpcClient c = current;
    if (c != null) {
      c.call(
          RelayMessages.METHOD_UNLINK,
          callTimeout,
          new RelayMessages.Unlink(relayId, agentId, stream, null, null).encode());
    }
  }

  private void run() {
    Duration backoff = MIN_BACKOFF;
    int next = 0;
    while (!closed) {
      Endpoint e = masters.get(next % masters.size());
      if (session(e)) {
        backoff = MIN_BACKOFF;
      } else {
        next++;
      }
      if (closed) {
        return;
      }
      pause(jitter(backoff));
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  /** One session: true when it got as far as an open order stream. */
  private boolean session(Endpoint e) {
    ClientOptions options =
        new ClientOptions(e.endpoint())
            .maxMessageBytes(maxMessageBytes)
            .curve(e.key(), keys.publicKey(), keys.secretKey());
    boolean wasUp = false;
    try (ZeroRpcClient client = ZeroRpcClient.connect(options)) {
      Value ack =
          client
              .call(RelayMessages.METHOD_REGISTER, callTimeout, registration.get().encode())
              .get(callTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      String key = field(ack, "key");
      if ("pending".equals(key)) {
        log.info(
            "the master has not accepted this relay's key yet: mschedule keys accept {}", relayId);
        return false;
      }
      Duration beat = heartbeatOf(ack);
      CompletableFuture<Void> subscribed = new CompletableFuture<>();
      CompletableFuture<Void> ended = new CompletableFuture<>();
      ClientStream stream =
          client.stream(
              RelayMessages.METHOD_SUBSCRIBE,
              new Items(subscribed, ended),
              callTimeout,
              new RelayMessages.Subscribe(relayId).encode());
      try {
        subscribed.get(callTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        current = client;
        listener.onUp();
        wasUp = true;
        log.info("relay {} linked to master {}", relayId, e.endpoint());
        long nextBeat = System.nanoTime() + beat.toNanos();
        while (!closed && !ended.isDone()) {
          synchronized (lock) {
            long left = nextBeat - System.nanoTime();
            if (left > 0 && !closed && !ended.isDone()) {
              TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
          }
          if (System.nanoTime() - nextBeat >= 0) {
            nextBeat = System.nanoTime() + beat.toNanos();
            client.call(
                RelayMessages.METHOD_HEARTBEAT,
                callTimeout,
                new RelayMessages.Heartbeat(relayId, spoolBytes.getAsLong()).encode());
          }
        }
        if (!closed) {
          ended.get();
        }
      } finally {
        current = null;
        stream.close();
      }
    } catch (ExecutionException ex) {
      Throwable cause = ex.getCause();
      if (cause instanceof RemoteErrorException r) {
        log.warn("master {} refused the relay: {}: {}", e.endpoint(), r.name(), r.remoteMessage());
      } else {
        log.warn("session with master {} ended: {}", e.endpoint(), cause.toString());
      }
    } catch (TimeoutException ex) {
      log.warn("master {} did not answer within {}", e.endpoint(), callTimeout);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      closed = true;
    } catch (RuntimeException ex) {
      log.warn("session with master {} failed: {}", e.endpoint(), ex.toString());
    } finally {
      if (wasUp) {
        listener.onDown();
      }
    }
    return wasUp;
  }

  private final class Items implements StreamListener {
    private final CompletableFuture<Void> subscribed;
    private final CompletableFuture<Void> ended;

    Items(CompletableFuture<Void> subscribed, CompletableFuture<Void> ended) {
      this.subscribed = subscribed;
      this.ended = ended;
    }

    @Override
    public void onItem(Value item) {
      RelayMessages.Item i = RelayMessages.decodeItem(item);
      if (i instanceof RelayMessages.SubscribedItem) {
        subscribed.complete(null);
      } else if (i instanceof RelayMessages.OrderItem o) {
        listener.onOrder(o.streams(), o.order());
      } else if (i instanceof RelayMessages.UnlinkItem u) {
        listener.onUnlink(
            u.unlink().agentId(), u.unlink().stream(), u.unlink().error(), u.unlink().reason());
      }
    }

    @Override
    public void onEnd() {
      end(new UplinkDownException("the master ended the relay's stream"));
    }

    @Override
    public void onError(Throwable error) {
      end(error);
    }

    private void end(Throwable t) {
      subscribed.completeExceptionally(t);
      ended.completeExceptionally(t);
      synchronized (lock) {
        lock.notifyAll();
      }
    }
  }

  /** The master's heartbeat interval from its register answer (5 s when it names none). */
  private static Duration heartbeatOf(Value ack) {
    if (ack != null && ack.isMapValue()) {
      Value v = ack.asMapValue().map().get(org.msgpack.value.ValueFactory.newString("heartbeat"));
      if (v != null && v.isIntegerValue() && v.asIntegerValue().toLong() > 0) {
        return Duration.ofSeconds(v.asIntegerValue().toLong());
      }
    }
    return Duration.ofSeconds(5);
  }

  private static String field(Value v, String name) {
    if (v == null || !v.isMapValue()) {
      return null;
    }
    Value f = v.asMapValue().map().get(org.msgpack.value.ValueFactory.newString(name));
    return f != null && f.isStringValue() ? f.asStringValue().asString() : null;
  }

  private static Duration jitter(Duration d) {
    double f = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
    return Duration.ofMillis((long) (d.toMillis() * f));
  }

  private void pause(Duration d) {
    long deadline = System.nanoTime() + d.toNanos();
    synchronized (lock) {
      long left;
      while (!closed && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (lock) {
      lock.notifyAll();
    }
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    batcher.close();
  }
}
