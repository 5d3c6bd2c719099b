package io.mschedule.relay.agents;

import static org.msgpack.value.ValueFactory.newBoolean;
import static org.msgpack.value.ValueFactory.newString;

import io.mschedule.protocol.message.Message;
import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.message.MessageTypes;
import io.mschedule.protocol.message.RelayMessages;
import io.mschedule.protocol.message.Subscribe;
import io.mschedule.protocol.zerorpc.CallHandler;
import io.mschedule.protocol.zerorpc.CurveKeys;
import io.mschedule.protocol.zerorpc.RemoteErrorException;
import io.mschedule.protocol.zerorpc.ServerCall;
import io.mschedule.relay.spool.CallSpool;
import io.mschedule.relay.uplink.MasterUplink;
import io.mschedule.relay.uplink.UplinkDownException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the agent protocol to the site's agents by carrying each call to the master unchanged,
 * with the agent's CURVE key and address; the master's answer goes back to the agent as it came.
 *
 * <p>When the master does not answer in time (a WAN cut, a stall) the relay answers what it can
 * itself, so its agents keep running and stay connected: a {@code heartbeat} with the master's last
 * answer to that agent, an {@code output} chunk with an acknowledgement (chunks are best effort;
 * the result carries the whole output), a {@code result} once it is durably in the relay's spool
 * (when the spool is full the agent gets an error and keeps the result in its own spool).
 */
public final class AgentPort implements CallHandler {
  private static final Logger log = LoggerFactory.getLogger(AgentPort.class);

  /** The error name an agent gets while the relay cannot reach the master (retry later). */
  static final String INTERNAL = "Internal";

  private record KeyState(String session, String key) {}

  private final String relayId;
  private final MasterUplink uplink;
  private final AgentStreams streams;
  private final CallSpool spool;
  private final Duration answerWithin;
  private final Runnable spooled;
  private final ScheduledExecutorService timer;
  private final Map<String, KeyState> lastAck = new ConcurrentHashMap<>();

  /**
   * @param answerWithin how long the master has to answer a heartbeat, output or result before the
   *     relay answers it itself
   * @param spooled told when a result went to the spool
   */
  public AgentPort(
      String relayId,
      MasterUplink uplink,
      AgentStreams streams,
      CallSpool spool,
      Duration answerWithin,
      Runnable spooled,
      ScheduledExecutorService timer) {
    this.relayId = relayId;
    this.uplink = uplink;
    this.streams = streams;
    this.spool = spool;
    this.answerWithin = answerWithin;
    this.spooled = spooled;
    this.timer = timer;
  }

  @Override
  public void onCall(ServerCall call) {
    String key = call.peerKey().map(CurveKeys::encodeZ85).orElse(null);
    RelayMessages.Call carried =
        new RelayMessages.Call(
            relayId, call.method(), key, call.peer().address().orElse(null), call.args());
    String method = call.method();
    String type = MessageTypes.METHOD_SENDMSG.equals(method) ? field(single(call), "type") : null;
    String id = type == null ? null : field(payload(single(call)), "id");
    CompletableFuture<Value> reply = uplink.call(carried);
    if (MessageTypes.METHOD_SUBSCRIBE.equals(method)) {
      reply.whenComplete((v, e) -> subscribed(call, carried, v, e));
    } else if (MessageTypes.HEARTBEAT.equals(type) && id != null) {
      answer(call, reply, () -> heartbeatAck(call, id));
    } else if (MessageTypes.OUTPUT.equals(type) && id != null) {
      answer(call, reply, () -> call.reply(MessageCodec.ack(MessageTypes.OUTPUT, id, Map.of())));
    } else if (MessageTypes.RESULT.equals(type) && id != null) {
      answer(call, reply, () -> spool(call, carried, id));
    } else {
      boolean register =
          MessageTypes.REGISTER.equals(type) || MessageTypes.REGISTER_ALIAS.equals(type);
      reply.whenComplete(
          (v, e) -> {
            if (e != null) {
              fail(call, e);
            } else {
              if (register && id != null) {
                remember(id, v);
              }
              call.reply(v);
            }
          });
    }
  }

  /**
   * Passes the master's answer on if it comes within {@link #answerWithin} (an error of the
   * master's as well); otherwise, or when the master is out of reach, answers with {@code local}.
   */
  private void answer(ServerCall call, CompletableFuture<Value> reply, Runnable local) {
    AtomicBoolean answered = new AtomicBoolean();
    var timeout =
        timer.schedule(
            () -> {
              if (answered.compareAndSet(false, true)) {
                local.run();
              }
            },
            answerWithin.toMillis(),
            TimeUnit.MILLISECONDS);
    reply.whenComplete(
        (v, e) -> {
          Throwable cause = unwrap(e);
          if (cause == null) {
            String agent = field(v, "type") != null ? idOfHeartbeat(call) : null;
            if (agent != null) {
              remember(agent, v);
            }
          }
          if (!answered.compareAndSet(false, true)) {
            return;
          }
          timeout.cancel(false);
          if (cause == null) {
            call.reply(v);
          } else if (cause instanceof RemoteErrorException r) {
            call.error(r.name(), r.remoteMessage());
          } else {
            local.run();
          }
        });
  }

  private void heartbeatAck(ServerCall call, String agentId) {
    KeyState k = lastAck.get(agentId);
    if (k == null) {
      call.error(INTERNAL, "the relay cannot reach the master right now; retry later");
      return;
    }
    call.reply(
        MessageCodec.ack(
            MessageTypes.HEARTBEAT,
            agentId,
            Map.of("session", newString(k.session()), "key", newString(k.key()))));
  }

  private void spool(ServerCall call, RelayMessages.Call carried, String taskId) {
    if (spool.offer(encode(carried.encode()))) {
      spooled.run();
      call.reply(
          MessageCodec.ack(MessageTypes.RESULT, taskId, Map.of("duplicate", newBoolean(false))));
    } else {
      call.error(
          INTERNAL, "the relay cannot reach the master and its spool is full; keep the result");
    }
  }

  private void remember(String agentId, Value ack) {
    String session = field(ack, "session");
    if (session != null) {
      String key = field(ack, "key");
      lastAck.put(agentId, new KeyState(session, key == null ? "accepted" : key));
    }
  }

  private void subscribed(
      ServerCall call, RelayMessages.Call carried, Value reply, Throwable error) {
    if (error != null) {
      fail(call, error);
      return;
    }
    Long number = streamNumber(reply);
    String agentId = agentOf(call);
    if (number == null || agentId == null) {
      call.error(INTERNAL, "the master answered subscribe without a stream");
      return;
    }
    streams.attach(agentId, number, call.openStream(), carried);
  }

  /**
   * After the relay reconnected to the master, subscribes again for every agent still connected
   * here, so the master can reach them again while their own streams stay as they are.
   */
  public void resubscribe() {
    for (AgentStreams.Open o : streams.open()) {
      uplink
          .call(o.subscribe())
          .whenComplete(
              (v, e) -> {
                Long number = e == null ? streamNumber(v) : null;
                if (number != null) {
                  streams.renumber(o.agentId(), o.number(), number);
                  return;
                }
                Throwable cause = unwrap(e);
                if (cause instanceof RemoteErrorException r) {
                  streams.fail(o.agentId(), o.number(), r.name(), r.remoteMessage());
                } else {
                  streams.fail(
                      o.agentId(), o.number(), "LostRemote", "the relay lost the master again");
                }
              });
    }
  }

  private static void fail(ServerCall call, Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof RemoteErrorException r) {
      call.error(r.name(), r.remoteMessage());
    } else if (e instanceof UplinkDownException) {
      call.error(INTERNAL, "the relay cannot reach the master right now; retry later");
    } else {
      log.debug("{} failed on the way to the master", call.method(), e);
      call.error(INTERNAL, "the relay could not reach the master: " + e.getMessage());
    }
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  private static String idOfHeartbeat(ServerCall call) {
    Value m = single(call);
    return MessageTypes.HEARTBEAT.equals(field(m, "type")) ? field(payload(m), "id") : null;
  }

  static byte[] encode(Value v) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packValue(v);
      return p.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String agentOf(ServerCall call) {
    if (call.args().size() != 1) {
      return null;
    }
    Message m = MessageCodec.decode(call.args().get(0));
    return m instanceof Subscribe s ? s.id() : null;
  }

  private static Value single(ServerCall call) {
    return call.args().size() == 1 ? call.args().get(0) : null;
  }

  private static Value payload(Value m) {
    if (m == null || !m.isMapValue()) {
      return null;
    }
    return m.asMapValue().map().get(newString("payload"));
  }

  private static String field(Value m, String name) {
    if (m == null || !m.isMapValue()) {
      return null;
    }
    Value v = m.asMapValue().map().get(newString(name));
    return v != null && v.isStringValue() ? v.asStringValue().asString() : null;
  }

  private static Long streamNumber(Value reply) {
    if (reply == null || !reply.isMapValue()) {
      return null;
    }
    Value v = reply.asMapValue().map().get(ValueFactory.newString("stream"));
    return v != null && v.isIntegerValue() ? v.asIntegerValue().toLong() : null;
  }
}
