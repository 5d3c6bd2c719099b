package io.mschedule.master.rpc;

import static org.msgpack.value.ValueFactory.newBoolean;
import static org.msgpack.value.ValueFactory.newInteger;
import static org.msgpack.value.ValueFactory.newString;

import io.mschedule.master.agents.AgentRegistry;
import io.mschedule.master.dispatch.AgentGateway;
import io.mschedule.master.dispatch.ResultRecorder;
import io.mschedule.master.dispatch.RunOutcome;
import io.mschedule.master.files.FileServing;
import io.mschedule.protocol.message.BadMessageException;
import io.mschedule.protocol.message.FetchFile;
import io.mschedule.protocol.message.Heartbeat;
import io.mschedule.protocol.message.Message;
import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.message.MessageTypes;
import io.mschedule.protocol.message.OutputChunk;
import io.mschedule.protocol.message.Register;
import io.mschedule.protocol.message.Result;
import io.mschedule.protocol.message.StdStream;
import io.mschedule.protocol.message.Subscribe;
import io.mschedule.protocol.message.Subscribed;
import io.mschedule.protocol.zerorpc.CallHandler;
import io.mschedule.protocol.zerorpc.ServerCall;
import io.mschedule.protocol.zerorpc.ServerOptions;
import io.mschedule.protocol.zerorpc.ServerStream;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiPredicate;
import org.msgpack.value.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The master's zerorpc entry points: {@code sendmsg(msg)} and the {@code subscribe} stream. */
public final class AgentRpcHandler implements CallHandler {
  private static final Logger log = LoggerFactory.getLogger(AgentRpcHandler.class);

  private final AgentRegistry registry;
  private final AgentLinks links;
  private final AgentGateway.Events events;
  private final Duration heartbeat;
  private final JoinPolicy joinPolicy;
  private final int maxOutputBytes;
  private final BiPredicate<String, String> running;
  private final FileServing files;

  /**
   * How often an agent whose {@code subscribe} stream is open needs to send {@code heartbeat} (the
   * {@code stream_heartbeat} of the register answer): the stream's own zerorpc heartbeats, every 5
   * s, mark it seen in between. Its heartbeats still refresh its host facts and running tasks.
   */
  public static final Duration STREAM_HEARTBEAT = Duration.ofSeconds(30);

  /** The master's order key (Base64), given in the register answer; null gives none. */
  private String orderKey;

  /** Changes at every master start; agents that see it change reconnect and register again. */
  private final String session = UUID.randomUUID().toString().replace("-", "");

  public AgentRpcHandler(
      AgentRegistry registry,
      AgentLinks links,
      AgentGateway.Events events,
      Duration heartbeat,
      JoinPolicy joinPolicy,
      int maxOutputBytes,
      BiPredicate<String, String> running) {
    this(registry, links, events, heartbeat, joinPolicy, maxOutputBytes, running, null);
  }

  /**
   * @param files serves {@code fetch_file}; null on a master that stores no files
   */
  public AgentRpcHandler(
      AgentRegistry registry,
      AgentLinks links,
      AgentGateway.Events events,
      Duration heartbeat,
      JoinPolicy joinPolicy,
      int maxOutputBytes,
      BiPredicate<String, String> running,
      FileServing files) {
    this.files = files;
    this.registry = registry;
    this.links = links;
    this.events = events;
    this.heartbeat = heartbeat;
    this.joinPolicy = joinPolicy;
    this.maxOutputBytes = maxOutputBytes;
    this.running = running;
  }

  /**
   * Gives agents the master's order key in the register answer ({@code order_key}), so an agent
   * without {@code --order-key} can pin it on first contact.
   */
  public AgentRpcHandler orderKey(String base64) {
    this.orderKey = base64;
    return this;
  }

  @Override
  public void onCall(ServerCall call) {
    try {
      switch (call.method()) {
        case MessageTypes.METHOD_SENDMSG -> sendmsg(call);
        case MessageTypes.METHOD_SUBSCRIBE -> subscribe(call);
        case MessageTypes.METHOD_FETCH_FILE -> fetchFile(call);
        default ->
            call.error(
                RpcErrors.UNKNOWN_METHOD,
                "method '"
                    + call.method()
                    + "' is not served; use sendmsg, subscribe or fetch_file");
      }
    } catch (BadMessageException e) {
      call.error(RpcErrors.BAD_REQUEST, e.getMessage());
    } catch (RpcException e) {
      call.error(e.name(), e.getMessage());
    } catch (RuntimeException e) {
      log.error("{} failed", call.method(), e);
      call.error(RpcErrors.INTERNAL, "the master failed to handle the message: " + e);
    }
  }

  /**
   * On the I/O thread, as a call arrives: a heartbeat that changes nothing to be stored is answered
   * here, with no worker hop; any other message of an accepted agent marks the agent seen now, not
   * when a worker gets to it (a busy master does not judge its own backlog's agents offline).
   * Everything else, errors included, is left to {@link #onCall}.
   */
  @Override
  public boolean onArrival(ServerCall call) {
    if (!MessageTypes.METHOD_SENDMSG.equals(call.method()) || call.args().size() != 1) {
      return false;
    }
    Value msg = call.args().get(0);
    Value payload = field(msg, "payload");
    Value type = field(msg, "type");
    if (payload == null || type == null || !type.isStringValue()) {
      return false;
    }
    try {
      if (MessageTypes.HEARTBEAT.equals(type.asStringValue().asString())) {
        return heartbeatOnArrival(call, msg);
      }
      Value agent = field(payload, "agent_id");
      if (agent != null && agent.isStringValue()) {
        String agentId = agent.asStringValue().asString();
        AgentFields.agentId("agent_id", agentId);
        joinPolicy.verifyAccepted(agentId, call);
        registry.touch(agentId);
      }
    } catch (RuntimeException e) {
      // a bad or refused message: the worker answers it with the error
    }
    return false;
  }

  private boolean heartbeatOnArrival(ServerCall call, Value msg) {
    if (!(MessageCodec.decode(msg) instanceof Heartbeat h)) {
      return false;
    }
    AgentFields.check(h);
    joinPolicy.verify(h.id(), call);
    if (!registry.heartbeatInMemory(h)) {
      return false;
    }
    call.reply(heartbeatAck(h));
    return true;
  }

  private Value heartbeatAck(Heartbeat h) {
    String key = registry.find(h.id()).map(a -> a.key()).orElse(JoinPolicy.ACCEPTED);
    return MessageCodec.ack(
        MessageTypes.HEARTBEAT,
        h.id(),
        Map.of("session", newString(session), "key", newString(key)));
  }

  /** A field of a msgpack map, or null. */
  private static Value field(Value map, String name) {
    return map.isMapValue() ? map.asMapValue().map().get(newString(name)) : null;
  }

  private static Message single(ServerCall call) {
    if (call.args().size() != 1) {
      throw new BadMessageException(
          call.method() + ": expected 1 argument (the message), got " + call.args().size());
    }
    return MessageCodec.decode(call.args().get(0));
  }

  private void sendmsg(ServerCall call) {
    Message m = single(call);
    if (m instanceof Register r) {
      if (r.protocol() != MessageTypes.PROTOCOL_VERSION) {
        throw new RpcException(
            RpcErrors.UNSUPPORTED_PROTOCOL,
            "this master speaks protocol "
                + MessageTypes.PROTOCOL_VERSION
                + ", the agent "
                + r.protocol());
      }
      AgentFields.check(r);
      String key = joinPolicy.admit(r, call);
      registry.register(r);
      Map<String, Value> extra = new LinkedHashMap<>();
      extra.put("heartbeat", newInteger(heartbeat.toSeconds()));
      streamHeartbeat(call)
          .ifPresent(d -> extra.put("stream_heartbeat", newInteger(d.toSeconds())));
      extra.put("session", newString(session));
      extra.put("key", newString(key));
      if (orderKey != null) {
        extra.put("order_key", newString(orderKey));
      }
      call.reply(MessageCodec.ack(MessageTypes.REGISTER, r.id(), extra));
    } else if (m instanceof Heartbeat h) {
      AgentFields.check(h);
      joinPolicy.verify(h.id(), call);
      if (!registry.heartbeat(h)) {
        throw unknownAgent(h.id());
      }
      call.reply(heartbeatAck(h));
    } else if (m instanceof OutputChunk o) {
      requireAccepted("output.payload.agent_id", o.agentId(), call);
      AgentFields.taskId("output.payload.id", o.id());
      if (!running.test(o.id(), o.agentId())) {
        throw new RpcException(
            RpcErrors.BAD_REQUEST,
            "output: task " + clip(o.id()) + " has no running run on agent " + o.agentId());
      }
      events.output(
          o.id(), o.agentId(), o.seq(), o.offset(), o.stream() == StdStream.STDERR, o.data());
      call.reply(MessageCodec.ack(MessageTypes.OUTPUT, o.id(), Map.of()));
    } else if (m instanceof Result r) {
      requireAccepted("result.payload.agent_id", r.agentId(), call);
      AgentFields.taskId("result.payload.id", r.id());
      publishLastChunks(r);
      RunOutcome outcome;
      try {
        outcome = Outcomes.of(r, maxOutputBytes);
      } catch (IllegalArgumentException e) {
        throw new RpcException(RpcErrors.BAD_REQUEST, e.getMessage());
      }
      // answered once the result is durable, with the others stored in the same transaction
      events.finished(
          outcome,
          new AgentGateway.Recorded() {
            @Override
            public void recorded(boolean fresh) {
              call.reply(
                  MessageCodec.ack(
                      MessageTypes.RESULT, r.id(), Map.of("duplicate", newBoolean(!fresh))));
            }

            @Override
            public void failed(RuntimeException e) {
              if (e instanceof ResultRecorder.UnknownRunException) {
                call.error(RpcErrors.BAD_REQUEST, "result: " + e.getMessage());
              } else if (e instanceof IllegalArgumentException) {
                call.error(RpcErrors.BAD_REQUEST, e.getMessage());
              } else {
                log.error("result of task {} from {} not recorded", r.id(), r.agentId(), e);
                call.error(RpcErrors.INTERNAL, "the master failed to handle the message: " + e);
              }
            }
          });
    } else {
      throw new BadMessageException("message.type: '" + m.type() + "' is not accepted by sendmsg");
    }
  }

  /**
   * The live output a result carries (the run's last chunks, sent with it instead of on their own)
   * goes to live viewers before the run's end does, as if it had come as {@code output} messages.
   */
  private void publishLastChunks(Result r) {
    if (r.lastChunks().isEmpty() || !running.test(r.id(), r.agentId())) {
      return;
    }
    for (OutputChunk o : r.lastChunks()) {
      events.output(
          o.id(), o.agentId(), o.seq(), o.offset(), o.stream() == StdStream.STDERR, o.data());
    }
  }

  private void fetchFile(ServerCall call) {
    Message m = single(call);
    if (!(m instanceof FetchFile f)) {
      throw new BadMessageException(
          "fetch_file: expected a 'fetch_file' message, got '" + m.type() + "'");
    }
    requireAccepted("fetch_file.payload.agent_id", f.agentId(), call);
    AgentFields.taskId("fetch_file.payload.id", f.id());
    if (files == null) {
      throw new RpcException(RpcErrors.BAD_REQUEST, "fetch_file: this master stores no files");
    }
    byte[] data;
    try {
      data = files.fetch(f);
    } catch (FileServing.Refused e) {
      throw new RpcException(RpcErrors.BAD_REQUEST, e.getMessage());
    }
    call.reply(
        MessageCodec.ack(
            MessageTypes.FETCH_FILE,
            f.id(),
            Map.of(
                "sha256",
                newString(f.sha256()),
                "offset",
                newInteger(f.offset()),
                "data",
                newString(Base64.getEncoder().encodeToString(data)))));
  }

  private void subscribe(ServerCall call) {
    Message m = single(call);
    if (!(m instanceof Subscribe s)) {
      throw new BadMessageException(
          "subscribe: expected a 'subscribe' message, got '" + m.type() + "'");
    }
    requireAccepted("subscribe.payload.id", s.id(), call);
    ServerStream stream = call.openStream();
    String agentId = s.id();
    stream.onHeartbeat(() -> registry.touch(agentId)); // seen between its (rarer) heartbeats
    stream.send(MessageCodec.encode(new Subscribed(s.id())));
    links.attach(s.id(), stream, () -> events.linkDown(s.id()));
    events.linkUp(s.id());
  }

  /**
   * The {@code stream_heartbeat} to give an agent registering through {@code call}: none when the
   * master would not see its stream's heartbeats (it came through a relay) or when they would not
   * be often enough for this master's liveness ({@code heartbeat} set under zerorpc's 5 s).
   */
  private Optional<Duration> streamHeartbeat(ServerCall call) {
    if (call.peer().isRelayed() || heartbeat.compareTo(ServerOptions.ZERORPC_HEARTBEAT) < 0) {
      return Optional.empty();
    }
    return Optional.of(heartbeat.compareTo(STREAM_HEARTBEAT) > 0 ? heartbeat : STREAM_HEARTBEAT);
  }

  private void requireAccepted(String field, String agentId, ServerCall call) {
    AgentFields.agentId(field, agentId);
    joinPolicy.verifyAccepted(agentId, call);
    if (!registry.touch(agentId)) {
      throw unknownAgent(agentId);
    }
  }

  private static String clip(String id) {
    return AgentFields.describe(id);
  }

  private static RpcException unknownAgent(String id) {
    return new RpcException(
        RpcErrors.UNKNOWN_AGENT, "agent " + id + " is not registered; send register first");
  }
}
