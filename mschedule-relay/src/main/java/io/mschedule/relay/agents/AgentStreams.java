package io.mschedule.relay.agents;

import io.mschedule.protocol.message.RelayMessages;
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

  private record Attached(long number, ServerStream stream, RelayMessages.Call subscribe) {}

  /** An agent's open stream and the subscribe call that opened it. */
  public record Open(String agentId, long number, RelayMessages.Call subscribe) {}

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

  /**
   * Makes {@code stream} the agent's order stream {@code number}; an older one is ended. {@code
   * subscribe} is the agent's call, made again after the relay reconnects to the master.
   */
  public void attach(
      String agentId, long number, ServerStream stream, RelayMessages.Call subscribe) {
    Attached a = new Attached(number, stream, subscribe);
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
          Attached now;
          synchronized (this) {
            now = attached.get(agentId);
            if (now == null || now.stream() != stream) {
              return;
            }
            attached.remove(agentId);
          }
          onAgentGone.accept(agentId, now.number());
        });
  }

  /** Every open stream, to subscribe again for after the relay reconnects. */
  public synchronized List<Open> open() {
    List<Open> out = new ArrayList<>();
    attached.forEach((id, a) -> out.add(new Open(id, a.number(), a.subscribe())));
    return out;
  }

  /**
   * The master gave the agent's stream {@code oldNumber} the new number {@code newNumber} (the
   * relay subscribed again for it); items waiting for the new number go out.
   */
  public void renumber(String agentId, long oldNumber, long newNumber) {
    List<Value> waiting = List.of();
    ServerStream stream;
    synchronized (this) {
      Attached a = attached.get(agentId);
      if (a == null || a.number() != oldNumber) {
        return;
      }
      stream = a.stream();
      attached.put(agentId, new Attached(newNumber, stream, a.subscribe()));
      Pending p = pending.remove(agentId);
      if (p != null && p.number() == newNumber) {
        waiting = p.items();
      }
    }
    waiting.forEach(stream::send);
  }

  /** Ends the agent's stream {@code number} with {@code error} (subscribing again failed). */
  public void fail(String agentId, long number, String error, String message) {
    end(agentId, number, error, message);
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
