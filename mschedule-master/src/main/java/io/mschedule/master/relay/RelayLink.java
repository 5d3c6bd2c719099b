package io.mschedule.master.relay;

import io.mschedule.master.rpc.OrderBatch;
import io.mschedule.protocol.message.RelayMessages;
import io.mschedule.protocol.zerorpc.ServerStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.msgpack.value.Value;

/**
 * A connected relay: its order stream, and the order streams of the agents behind it.
 *
 * <p>One copy per site: orders go out after a short window ({@link #BATCH_WINDOW_MICROS}) in which
 * the same order (a task's fan-out encodes its order once) for several agents becomes one {@code
 * relay_order} naming them all; the relay hands it to each. Items keep their order.
 */
final class RelayLink {
  /** Stream numbers grow over the master's life, so a relay tells a new stream from an old one. */
  private static final AtomicLong NEXT_STREAM = new AtomicLong();

  /** How long an order waits for more agents of the same fan-out. */
  static final long BATCH_WINDOW_MICROS = 2000;

  /** Sends the batches of every relay (one thread: each link's items stay in order). */
  private static final ScheduledExecutorService FLUSHER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "relay-order-flush");
            t.setDaemon(true);
            return t;
          });

  /** An order for several agents' streams, or an item sent as it is ({@code streams} empty). */
  private record Batch(Value item, List<Long> streams) {}

  private final ArrayDeque<Batch> queue = new ArrayDeque<>();
  private boolean scheduled;

  private final String relayId;
  private final ServerStream stream;
  private final long windowMicros;
  private final Map<String, RelayedStream> agents = new ConcurrentHashMap<>();

  RelayLink(String relayId, ServerStream stream) {
    this(relayId, stream, BATCH_WINDOW_MICROS);
  }

  /** With another batching window (tests flush by hand under a long one). */
  RelayLink(String relayId, ServerStream stream, long windowMicros) {
    this.relayId = relayId;
    this.stream = stream;
    this.windowMicros = windowMicros;
  }

  String relayId() {
    return relayId;
  }

  boolean isOpen() {
    return stream.isOpen();
  }

  /** A new order stream for {@code agentId}; an older one stays until the agent links end it. */
  RelayedStream open(String agentId) {
    RelayedStream s = new RelayedStream(this, agentId, NEXT_STREAM.incrementAndGet());
    agents.put(agentId, s);
    if (!stream.isOpen()) {
      s.closed();
    }
    return s;
  }

  /** Queues an order for the agent's stream; false when the relay's stream has ended. */
  boolean sendOrder(RelayedStream s, Value item) {
    synchronized (queue) {
      if (!stream.isOpen()) {
        return false;
      }
      Batch last = queue.peekLast();
      if (last != null && !last.streams().isEmpty() && same(last.item(), item)) {
        last.streams().add(s.number());
      } else {
        List<Long> nums = new ArrayList<>();
        nums.add(s.number());
        queue.add(new Batch(item, nums));
      }
      schedule();
    }
    return true;
  }

  private static boolean same(Value a, Value b) {
    return a == b || a.equals(b);
  }

  /** Queues an item that goes to the relay as it is. */
  private void sendRaw(Value item) {
    synchronized (queue) {
      queue.add(new Batch(item, List.of()));
      schedule();
    }
  }

  private void schedule() {
    if (!scheduled) {
      scheduled = true;
      // the window opens once the sending thread's batch (a whole fan-out) is queued
      OrderBatch.whenDone(() -> FLUSHER.schedule(this::flush, windowMicros, TimeUnit.MICROSECONDS));
    }
  }

  /** Sends what is queued (the flusher calls it at the end of each window). */
  void flush() {
    List<Batch> out;
    synchronized (queue) {
      out = new ArrayList<>(queue);
      queue.clear();
      scheduled = false;
    }
    for (Batch b : out) {
      stream.send(
          b.streams().isEmpty()
              ? b.item()
              : new RelayMessages.Order(b.streams(), b.item()).encode());
    }
  }

  /** The master ended an agent's stream: the relay ends the agent's own. */
  void ended(RelayedStream s, String error, String message) {
    agents.remove(s.agentId(), s);
    sendRaw(new RelayMessages.Unlink(null, s.agentId(), s.number(), error, message).encode());
  }

  /** The relay says the agent's stream {@code number} ended (the agent went away). */
  void unlinked(String agentId, long number) {
    RelayedStream s = agents.get(agentId);
    if (s != null && s.number() == number && agents.remove(agentId, s)) {
      s.closed();
    }
  }

  /** The relay's own stream ended: every agent behind it loses its link. */
  void close() {
    stream.done();
    for (RelayedStream s : List.copyOf(agents.values())) {
      agents.remove(s.agentId(), s);
      s.closed();
    }
  }

  int agentCount() {
    return agents.size();
  }
}
