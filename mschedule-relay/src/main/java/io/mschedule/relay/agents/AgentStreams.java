package io.mschedule.relay.agents;

import io.mschedule.protocol.message.RelayMessages;
import io.mschedule.protocol.zerorpc.ServerStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.msgpack.value.Value;

/**
 * The order streams of the agents connected here, each with the number the master gave it (a number
 * names one agent's stream for the master's whole life). An item for a number not attached yet (the
 * master's order can overtake the reply that opens the stream) waits, bounded, until it is; an item
 * for a number that was attached here and has ended is dropped.
 */
public final class AgentStreams {
  /** Items kept for streams not attached yet, in all. */
  static final int MAX_PENDING = 4096;

  /** Ended stream numbers remembered, to drop their late items at once. */
  static final int RETIRED = 100_000;

  private record Attached(long number, ServerStream stream, RelayMessages.Call subscribe) {}

  /** An agent's open stream and the subscribe call that opened it. */
  public record Open(String agentId, long number, RelayMessages.Call subscribe) {}

  private final Map<String, Attached> attached = new HashMap<>();
  private final Map<Long, String> byNumber = new HashMap<>();
  private final LinkedHashMap<Long, List<Value>> pending = new LinkedHashMap<>();
  private int pendingItems;
  private final Set<Long> retired =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
              return size() > RETIRED;
            }
          });
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
    List<Value> waiting;
    synchronized (this) {
      old = attached.put(agentId, a);
      if (old != null) {
        retire(old.number());
      }
      byNumber.put(number, agentId);
      waiting = takePending(number);
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
            retire(now.number());
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
    List<Value> waiting;
    ServerStream stream;
    synchronized (this) {
      Attached a = attached.get(agentId);
      if (a == null || a.number() != oldNumber) {
        return;
      }
      stream = a.stream();
      attached.put(agentId, new Attached(newNumber, stream, a.subscribe()));
      retire(oldNumber);
      byNumber.put(newNumber, agentId);
      waiting = takePending(newNumber);
    }
    waiting.forEach(stream::send);
  }

  /** Ends the agent's stream {@code number} with {@code error} (subscribing again failed). */
  public void fail(String agentId, long number, String error, String message) {
    end(agentId, number, error, message);
  }

  /** Hands {@code item} to the stream {@code number}; false when it was dropped. */
  public boolean deliver(long number, Value item) {
    ServerStream target;
    synchronized (this) {
      String agentId = byNumber.get(number);
      Attached a = agentId == null ? null : attached.get(agentId);
      if (a != null && a.number() == number) {
        target = a.stream();
      } else if (retired.contains(number) || pendingItems >= MAX_PENDING) {
        return false;
      } else {
        pending.computeIfAbsent(number, n -> new ArrayList<>()).add(item);
        pendingItems++;
        return true;
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
        takePending(number);
        retire(number);
        return;
      }
      attached.remove(agentId);
      retire(number);
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
      byNumber.clear();
      pending.clear();
      pendingItems = 0;
    }
    all.forEach(a -> a.stream().error(error, message));
  }

  public synchronized int size() {
    return attached.size();
  }

  private List<Value> takePending(long number) {
    List<Value> items = pending.remove(number);
    if (items == null) {
      return List.of();
    }
    pendingItems -= items.size();
    return items;
  }

  private void retire(long number) {
    byNumber.remove(number);
    retired.add(number);
  }
}
