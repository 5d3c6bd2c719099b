package io.mschedule.protocol.message;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * What a relay and the master say to each other over the relay's one session (see docs/protocol.md,
 * "Relays"). Agents' own messages and the master's orders travel inside these unchanged, as msgpack
 * values the relay never decodes.
 */
public final class RelayMessages {
  private RelayMessages() {}

  /** {@code relay_register(msg)}: the relay introduces itself; answered like a register. */
  public static final String METHOD_REGISTER = "relay_register";

  /** {@code relay_subscribe(msg)}: the stream of orders for the relay's agents. */
  public static final String METHOD_SUBSCRIBE = "relay_subscribe";

  /** {@code relay_call(msg)}: one call of an agent, carried for it. */
  public static final String METHOD_CALL = "relay_call";

  /** {@code relay_calls(msg)}: several calls of agents, carried in one; one answer each. */
  public static final String METHOD_CALLS = "relay_calls";

  /** {@code relay_heartbeat(msg)}: the relay is alive (every heartbeat interval of the master). */
  public static final String METHOD_HEARTBEAT = "relay_heartbeat";

  /** {@code relay_unlink(msg)}: an agent's order stream ended at the relay. */
  public static final String METHOD_UNLINK = "relay_unlink";

  public static final String REGISTER = "relay_register";
  public static final String SUBSCRIBE = "relay_subscribe";
  public static final String CALL = "relay_call";
  public static final String CALLS = "relay_calls";
  public static final String ORDER = "relay_order";
  public static final String UNLINK = "relay_unlink";
  public static final String HEARTBEAT = "relay_heartbeat";

  /** The relay is alive; {@code spoolBytes} is what its spool holds now. */
  public record Heartbeat(String id, long spoolBytes) {
    public Value encode() {
      return message(
          HEARTBEAT, Map.of("id", str(id), "spool_bytes", ValueFactory.newInteger(spoolBytes)));
    }

    public static Heartbeat decode(Value v) {
      FieldReader p = payload(v, HEARTBEAT);
      return new Heartbeat(p.string("id"), p.optInteger("spool_bytes", 0L));
    }
  }

  /** The relay's registration. */
  public record Registration(
      String id, String datacenter, String address, long spoolBytes, String version, String token) {
    public Value encode() {
      Map<String, Value> p = new LinkedHashMap<>();
      p.put("id", str(id));
      p.put("datacenter", opt(datacenter));
      p.put("address", opt(address));
      p.put("spool_bytes", ValueFactory.newInteger(spoolBytes));
      p.put("version", opt(version));
      if (token != null) {
        p.put("token", str(token));
      }
      return message(REGISTER, p);
    }

    public static Registration decode(Value v) {
      FieldReader p = payload(v, REGISTER);
      return new Registration(
          p.string("id"),
          p.optString("datacenter"),
          p.optString("address"),
          p.optInteger("spool_bytes", 0L),
          p.optString("version"),
          p.optString("token"));
    }
  }

  /** The relay asks for its order stream. */
  public record Subscribe(String relayId) {
    public Value encode() {
      return message(SUBSCRIBE, Map.of("id", str(relayId)));
    }

    public static Subscribe decode(Value v) {
      return new Subscribe(payload(v, SUBSCRIBE).string("id"));
    }
  }

  /**
   * One agent call carried by a relay: the method and arguments exactly as the agent sent them, the
   * CURVE public key the agent proved to the relay (Z85) and the address the relay saw it from.
   */
  public record Call(
      String relayId, String method, String agentKey, String agentAddress, List<Value> args) {
    public Call {
      args = List.copyOf(args);
    }

    public Value encode() {
      Map<String, Value> p = new LinkedHashMap<>();
      p.put("relay_id", str(relayId));
      p.put("method", str(method));
      p.put("agent_key", opt(agentKey));
      p.put("agent_address", opt(agentAddress));
      p.put("args", ValueFactory.newArray(args));
      return message(CALL, p);
    }

    public static Call decode(Value v) {
      FieldReader p = payload(v, CALL);
      return new Call(
          p.string("relay_id"),
          p.string("method"),
          p.optString("agent_key"),
          p.optString("agent_address"),
          p.list("args"));
    }
  }

  /**
   * Several agent calls in one message (relay to master), so the site's results, output and
   * heartbeats cross the link in batches. Each item is a {@link Call} without the relay id; the
   * master answers with one {@link Answer} per call, in the same order.
   */
  public record Calls(String relayId, List<Call> calls) {
    public Calls {
      calls = List.copyOf(calls);
    }

    public Value encode() {
      List<Value> items = new ArrayList<>(calls.size());
      for (Call c : calls) {
        items.add(
            ValueFactory.newMap(
                str("method"), str(c.method()),
                str("agent_key"), opt(c.agentKey()),
                str("agent_address"), opt(c.agentAddress()),
                str("args"), ValueFactory.newArray(c.args())));
      }
      return message(
          CALLS, Map.of("relay_id", str(relayId), "calls", ValueFactory.newArray(items)));
    }

    public static Calls decode(Value v) {
      FieldReader p = payload(v, CALLS);
      String relayId = p.string("relay_id");
      List<Call> calls = new ArrayList<>();
      for (FieldReader c : p.optMapList("calls")) {
        calls.add(
            new Call(
                relayId,
                c.string("method"),
                c.optString("agent_key"),
                c.optString("agent_address"),
                c.list("args")));
      }
      return new Calls(relayId, calls);
    }

    /** The master's reply: {@code replies} holds one {@link Answer} per call. */
    public static Value reply(String relayId, List<Answer> answers) {
      List<Value> items = new ArrayList<>(answers.size());
      answers.forEach(a -> items.add(a.encode()));
      return MessageCodec.ack(CALLS, relayId, Map.of("replies", ValueFactory.newArray(items)));
    }

    /** The answers in a {@link #reply}. */
    public static List<Answer> answers(Value reply) {
      List<Answer> out = new ArrayList<>();
      for (FieldReader a : FieldReader.of("reply", reply).optMapList("replies")) {
        out.add(Answer.decode(a));
      }
      return out;
    }
  }

  /**
   * The master's answer to one call of a {@link Calls}: {@code {"ok": REPLY}}, or {@code {"error":
   * NAME, "message": TEXT}} (the zerorpc error the agent would have got).
   */
  public record Answer(Value ok, String error, String message) {
    public static Answer of(Value reply) {
      return new Answer(reply, null, null);
    }

    public static Answer failed(String error, String message) {
      return new Answer(null, error, message);
    }

    Value encode() {
      return error == null
          ? ValueFactory.newMap(str("ok"), ok)
          : ValueFactory.newMap(str("error"), str(error), str("message"), opt(message));
    }

    static Answer decode(FieldReader a) {
      String error = a.optString("error");
      return error == null
          ? new Answer(a.value("ok"), null, null)
          : new Answer(null, error, a.optString("message"));
    }
  }

  /**
   * An item for some of the relay's agents (master to relay, on the relay's stream): {@code order}
   * is the stream item each gets, unchanged; {@code streams} names the order streams it is meant
   * for (the numbers the master gave the agents' streams when they subscribed; a number names one
   * agent's stream). On the wire the numbers are sorted and each after the first is sent as its
   * difference to the one before, so a fan-out's list costs a byte or two per agent.
   */
  public record Order(List<Long> streams, Value order) {
    public Order {
      streams = List.copyOf(streams);
    }

    public Value encode() {
      long[] sorted = streams.stream().mapToLong(Long::longValue).sorted().toArray();
      List<Value> gaps = new ArrayList<>(sorted.length);
      long previous = 0;
      for (long n : sorted) {
        gaps.add(ValueFactory.newInteger(n - previous));
        previous = n;
      }
      return message(ORDER, Map.of("streams", ValueFactory.newArray(gaps), "order", order));
    }
  }

  /**
   * An agent's order stream ended: from the master, with the error to end it with ({@code error}
   * null: a plain end); from the relay, the agent went away.
   */
  public record Unlink(String relayId, String agentId, long stream, String error, String reason) {
    public Value encode() {
      Map<String, Value> p = new LinkedHashMap<>();
      p.put("relay_id", opt(relayId));
      p.put("agent_id", str(agentId));
      p.put("stream", ValueFactory.newInteger(stream));
      p.put("error", opt(error));
      p.put("message", opt(reason));
      return message(UNLINK, p);
    }

    public static Unlink decode(Value v) {
      FieldReader p = payload(v, UNLINK);
      return new Unlink(
          p.optString("relay_id"),
          p.string("agent_id"),
          p.integer("stream"),
          p.optString("error"),
          p.optString("message"));
    }
  }

  /** An item of the relay's stream: an {@link Order}, an {@link Unlink}, or {@code subscribed}. */
  public sealed interface Item permits OrderItem, UnlinkItem, SubscribedItem {}

  /** An {@link Order} as the relay reads it: {@code streams} are the numbers, ascending. */
  public record OrderItem(List<Long> streams, Value order) implements Item {}

  public record UnlinkItem(Unlink unlink) implements Item {}

  public record SubscribedItem(String relayId) implements Item {}

  public static Item decodeItem(Value v) {
    FieldReader msg = FieldReader.of("message", v);
    String type = msg.string("type");
    FieldReader p = msg.map("payload").rename(type);
    return switch (type) {
      case ORDER -> new OrderItem(streams(p.list("streams")), p.value("order"));
      case UNLINK -> new UnlinkItem(Unlink.decode(v));
      case MessageTypes.SUBSCRIBED -> new SubscribedItem(p.string("id"));
      default -> throw new BadMessageException("message.type: '" + type + "' is not a relay item");
    };
  }

  /** The stream numbers of an order: the first as it is, each next one as its gap (0: again). */
  private static List<Long> streams(List<Value> gaps) {
    List<Long> out = new ArrayList<>(gaps.size());
    long n = 0;
    for (Value v : gaps) {
      if (!v.isIntegerValue() || v.asIntegerValue().toLong() < 0) {
        throw new BadMessageException(
            "relay_order.payload.streams: expected integers of 0 or more (the first stream"
                + " number, then the gaps to the next)");
      }
      n += v.asIntegerValue().toLong();
      out.add(n);
    }
    return out;
  }

  private static FieldReader payload(Value v, String expected) {
    FieldReader msg = FieldReader.of("message", v);
    String type = msg.string("type");
    if (!type.equals(expected)) {
      throw new BadMessageException(
          "message.type: expected '" + expected + "', got '" + type + "'");
    }
    return msg.map("payload").rename(type);
  }

  private static Value message(String type, Map<String, Value> payload) {
    Map<Value, Value> p = new LinkedHashMap<>();
    payload.forEach((k, val) -> p.put(str(k), val));
    return ValueFactory.newMap(str("type"), str(type), str("payload"), ValueFactory.newMap(p));
  }

  private static Value str(String s) {
    return ValueFactory.newString(s);
  }

  private static Value opt(String s) {
    return s == null ? ValueFactory.newNil() : ValueFactory.newString(s);
  }
}
