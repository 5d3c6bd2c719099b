package io.mschedule.relay.agents;

import io.mschedule.protocol.zerorpc.ServerStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.msgpack.value.Value;

/**
 * The order streams of the agents connected here, each with the number the master gave it. An item
 * for a stream the agent has not opened here yet (the master's order can overtake the reply that
 * opens it) waits, a bounded number, until it does.
 */
public final class AgentStreams {
  /** Items kept for a stream not attached yet. */
  static final int MAX_PENDING = 256;

  private record Attached(long number, ServerStream stream) {}

  private record Pending(long number, List<Value> items) {}

  private final Map<String, Attached> attached = new HashMap<>();
  private final Map<String, Pending> pending = new HashMap<>();
  private final BiConsumer<String, Long> onAgentGone;

  /**
   * @param onAgentGone told (agent id, stream number) when an agent's stream ends on the agent's
   *     side, so the master learns the link is down
   */
  public AgentStreams(BiConsumer<String, Long> onAgentGone) {
    this.onAgentGone = onAgentGone;
  }

  /** Makes {@code stream} the agent's order stream {@code number}; an older one is ended. */
  public void attach(String agentId, long number, ServerStream stream) {
    Attached a = new Attached(number, stream);
    Attached old;
    List<Value> waiting = List.of();
    synchronized (this) {
      old = attached.put(agentId, a);
      Pending p = pending.remove(agentId);
      if (p != null && p.number() == number) {
        waiting = p.items();
      }
    }
    if (old != null && old.stream() != stream) {
      old.stream().done();
    }
    waiting.forEach(stream::send);
    stream.onClose(
        () -> {
          boolean mine;
          synchronized (this) {
            mine = attached.remove(agentId, a);
          }
          if (mine) {
            onAgentGone.accept(agentId, number);
          }
        });
  }

  /** Hands {@code item} to the agent's stream {@code number}; false when it was dropped. */
  public boolean deliver(String agentId, long number, Value item) {
    ServerStream target = null;
    synchronized (this) {
      Attached a = attached.get(agentId);
      if (a != null && a.number() == number) {
        target = a.stream();
      } else if (a == null || number > a.number()) {
        Pending p = pending.get(agentId);
        if (p == null || p.number() < number) {
          p = new Pending(number, new ArrayList<>());
          pending.put(agentId, p);
        }
        if (p.number() == number && p.items().size() < MAX_PENDING) {
          p.items().add(item);
          return true;
        }
        return false;
      } else {
        return false;
      }
    }
    return target.send(item);
  }

  /** The master ended the agent's stream {@code number}. */
  public void end(String agentId, long number, String error, String message) {
    Attached a;
    synchronized (this) {
      a = attached.get(agentId);
      if (a == null || a.number() != number) {
        Pending p = pending.get(agentId);
        if (p != null && p.number() == number) {
          pending.remove(agentId);
        }
        return;
      }
      attached.remove(agentId);
    }
    if (error == null) {
      a.stream().done();
    } else {
      a.stream().error(error, message == null ? "" : message);
    }
  }

  /** Ends every stream with {@code error} (the relay lost the master). */
  public void endAll(String error, String message) {
    List<Attached> all;
    synchronized (this) {
      all = new ArrayList<>(attached.values());
      attached.clear();
      pending.clear();
    }
    all.forEach(a -> a.stream().error(error, message));
  }

  public synchronized int size() {
    return attached.size();
  }
}
