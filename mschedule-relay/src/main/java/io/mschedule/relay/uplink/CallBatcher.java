package io.mschedule.relay.uplink;

import io.mschedule.protocol.message.MessageTypes;
import io.mschedule.protocol.message.RelayMessages;
import io.mschedule.protocol.zerorpc.RemoteErrorException;
import io.mschedule.protocol.zerorpc.ZeroRpcClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * Gathers the agents' small {@code sendmsg} calls (heartbeats, output, results) for a short window
 * (heartbeats for a longer one) and carries them to the master as one {@code relay_calls}, so a
 * fan-out's results and a site's heartbeats cross the link in a few messages instead of one per
 * agent. Every other call, and a large one, goes alone as a {@code relay_call}.
 */
final class CallBatcher implements AutoCloseable {
  /** How long a call waits for others to share its message. */
  static final long WINDOW_MICROS = 2000;

  /**
   * How long a heartbeat may wait: agents heartbeat at their own times, so only a longer window
   * gathers them (the relay answers a heartbeat itself when the master has not within 1 s).
   */
  static final long HEARTBEAT_WINDOW_MICROS = 250_000;

  /** A call larger than this goes alone. */
  static final int MAX_ITEM_BYTES = 64 * 1024;

  /** A batch is sent once it holds this many calls or bytes. */
  static final int MAX_CALLS = 1000;

  static final int MAX_BATCH_BYTES = 1024 * 1024;

  private record Pending(RelayMessages.Call call, CompletableFuture<Value> reply) {}

  private final String relayId;
  private final Supplier<ZeroRpcClient> session;
  private final Duration callTimeout;
  private final long windowMicros;
  private final long heartbeatWindowMicros;
  private final ScheduledExecutorService flusher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "relay-call-batch");
            t.setDaemon(true);
            return t;
          });
  private List<Pending> queue = new ArrayList<>();
  private int queuedBytes;
  private boolean scheduled;
  private long flushAt;

  CallBatcher(
      String relayId,
      Supplier<ZeroRpcClient> session,
      Duration callTimeout,
      long windowMicros,
      long heartbeatWindowMicros) {
    this.relayId = relayId;
    this.session = session;
    this.callTimeout = callTimeout;
    this.windowMicros = windowMicros;
    this.heartbeatWindowMicros = heartbeatWindowMicros;
  }

  /** The master's reply to {@code call}, or its error ({@link RemoteErrorException}). */
  CompletableFuture<Value> call(RelayMessages.Call call) {
    ZeroRpcClient c = session.get();
    if (c == null) {
      return CompletableFuture.failedFuture(
          new UplinkDownException("the relay has no session with the master right now"));
    }
    int size = MessageTypes.METHOD_SENDMSG.equals(call.method()) ? size(call.args()) : -1;
    if (size < 0 || size > MAX_ITEM_BYTES) {
      return c.call(RelayMessages.METHOD_CALL, callTimeout, call.encode());
    }
    CompletableFuture<Value> reply = new CompletableFuture<>();
    long window =
        isHeartbeat(call.args()) ? Math.max(windowMicros, heartbeatWindowMicros) : windowMicros;
    boolean full;
    synchronized (this) {
      queue.add(new Pending(call, reply));
      queuedBytes += size;
      full = queue.size() >= MAX_CALLS || queuedBytes >= MAX_BATCH_BYTES;
      long due = System.nanoTime() + window * 1000;
      if (!full && (!scheduled || due - flushAt < 0)) {
        // a call that may not wait as long as the queued ones brings the flush forward
        scheduled = true;
        flushAt = due;
        flusher.schedule(this::flush, window, TimeUnit.MICROSECONDS);
      }
    }
    if (full) {
      flush();
    }
    return reply;
  }

  /** Sends what is queued as one {@code relay_calls}. */
  void flush() {
    List<Pending> out;
    synchronized (this) {
      out = queue;
      queue = new ArrayList<>();
      queuedBytes = 0;
      scheduled = false;
    }
    if (out.isEmpty()) {
      return;
    }
    ZeroRpcClient c = session.get();
    if (c == null) {
      UplinkDownException down =
          new UplinkDownException("the relay has no session with the master right now");
      out.forEach(p -> p.reply().completeExceptionally(down));
      return;
    }
    List<RelayMessages.Call> calls = new ArrayList<>(out.size());
    out.forEach(p -> calls.add(p.call()));
    c.call(
            RelayMessages.METHOD_CALLS,
            callTimeout,
            new RelayMessages.Calls(relayId, calls).encode())
        .whenComplete((v, e) -> answer(out, v, e));
  }

  private static void answer(List<Pending> out, Value reply, Throwable error) {
    if (error == null) {
      try {
        List<RelayMessages.Answer> answers = RelayMessages.Calls.answers(reply);
        if (answers.size() != out.size()) {
          error =
              new IllegalStateException(
                  "the master answered " + answers.size() + " of " + out.size() + " calls");
        } else {
          for (int i = 0; i < answers.size(); i++) {
            RelayMessages.Answer a = answers.get(i);
            if (a.error() == null) {
              out.get(i).reply().complete(a.ok());
            } else {
              out.get(i)
                  .reply()
                  .completeExceptionally(new RemoteErrorException(a.error(), a.message()));
            }
          }
          return;
        }
      } catch (RuntimeException e) {
        error = e;
      }
    }
    Throwable cause = error;
    out.forEach(p -> p.reply().completeExceptionally(cause));
  }

  private static boolean isHeartbeat(List<Value> args) {
    if (args.size() != 1 || !args.get(0).isMapValue()) {
      return false;
    }
    Value type = args.get(0).asMapValue().map().get(ValueFactory.newString("type"));
    return type != null
        && type.isStringValue()
        && MessageTypes.HEARTBEAT.equals(type.asStringValue().asString());
  }

  private static int size(List<Value> args) {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      for (Value v : args) {
        packer.packValue(v);
      }
      return (int) Math.min(Integer.MAX_VALUE, packer.getTotalWrittenBytes());
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    flusher.shutdownNow();
  }
}
