package io.mschedule.master.relay;

import io.mschedule.protocol.message.RelayMessages;
import io.mschedule.protocol.zerorpc.ServerStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.msgpack.value.Value;

/** A connected relay: its order stream, and the order streams of the agents behind it. */
final class RelayLink {
  /** Stream numbers grow over the master's life, so a relay tells a new stream from an old one. */
  private static final AtomicLong NEXT_STREAM = new AtomicLong();

  private final String relayId;
  private final ServerStream stream;
  private final Map<String, RelayedStream> agents = new ConcurrentHashMap<>();

  RelayLink(String relayId, ServerStream stream) {
    this.relayId = relayId;
    this.stream = stream;
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

  boolean sendOrder(RelayedStream s, Value item) {
    return stream.send(
        new RelayMessages.Order(List.of(s.agentId()), List.of(s.number()), item).encode());
  }

  /** The master ended an agent's stream: the relay ends the agent's own. */
  void ended(RelayedStream s, String error, String message) {
    agents.remove(s.agentId(), s);
    stream.send(new RelayMessages.Unlink(null, s.agentId(), s.number(), error, message).encode());
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
