package io.mschedule.master.relay;

import static org.msgpack.value.ValueFactory.newString;

import io.mschedule.master.rpc.RpcErrors;
import io.mschedule.master.rpc.RpcException;
import io.mschedule.protocol.message.BadMessageException;
import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.message.MessageTypes;
import io.mschedule.protocol.message.RelayMessages;
import io.mschedule.protocol.message.Subscribed;
import io.mschedule.protocol.zerorpc.CallHandler;
import io.mschedule.protocol.zerorpc.CurveKeys;
import io.mschedule.protocol.zerorpc.PeerId;
import io.mschedule.protocol.zerorpc.ServerCall;
import io.mschedule.protocol.zerorpc.ServerStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.msgpack.value.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's side of relays, in front of the agent handler on the CURVE agent port: serves the
 * {@code relay_*} methods and hands every other call, and every agent call a relay carries, to the
 * agent handler.
 */
public final class RelayRpcHandler implements CallHandler {
  private static final Logger log = LoggerFactory.getLogger(RelayRpcHandler.class);
  private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

  private final CallHandler agents;
  private final CallHandler plainAgents;
  private final RelayAdmission admission;
  private final RelayRegistry relays;
  private final java.time.Duration heartbeat;
  private final String session = java.util.UUID.randomUUID().toString().replace("-", "");

  /**
   * @param agents serves direct agents, and relayed agents that proved a CURVE key to the relay
   * @param plainAgents serves relayed agents from a relay's compatibility listener (no key: they
   *     are admitted as on the master's own compatibility listener, with a join token)
   * @param heartbeat how often relays send {@code relay_heartbeat} (the agents' heartbeat)
   */
  public RelayRpcHandler(
      CallHandler agents,
      CallHandler plainAgents,
      RelayAdmission admission,
      RelayRegistry relays,
      java.time.Duration heartbeat) {
    this.agents = agents;
    this.plainAgents = plainAgents;
    this.admission = admission;
    this.relays = relays;
    this.heartbeat = heartbeat;
  }

  /** A direct agent's cheap call (a heartbeat) is answered by the agent handler on arrival. */
  @Override
  public boolean onArrival(ServerCall call) {
    return !call.method().startsWith("relay_") && agents.onArrival(call);
  }

  @Override
  public void onCall(ServerCall call) throws Exception {
    String method = call.method();
    if (!method.startsWith("relay_")) {
      noteDirect(call);
      agents.onCall(call);
      return;
    }
    try {
      switch (method) {
        case RelayMessages.METHOD_REGISTER -> register(call);
        case RelayMessages.METHOD_SUBSCRIBE -> subscribe(call);
        case RelayMessages.METHOD_CALL -> relayed(call);
        case RelayMessages.METHOD_CALLS -> relayedBatch(call);
        case RelayMessages.METHOD_UNLINK -> unlink(call);
        case RelayMessages.METHOD_HEARTBEAT -> heartbeat(call);
        default -> call.error(RpcErrors.UNKNOWN_METHOD, "method '" + method + "' is not served");
      }
    } catch (BadMessageException e) {
      call.error(RpcErrors.BAD_REQUEST, e.getMessage());
    } catch (RpcException e) {
      call.error(e.name(), e.getMessage());
    } catch (RuntimeException e) {
      log.error("{} failed", method, e);
      call.error(RpcErrors.INTERNAL, "the master failed to handle the message: " + e);
    }
  }

  private void register(ServerCall call) {
    RelayMessages.Registration r = RelayMessages.Registration.decode(single(call));
    checkId("relay_register.payload.id", r.id());
    String state =
        admission.admit(r.id(), keyOf(call), r.token(), call.peer().address().orElse(null));
    relays.registered(r);
    call.reply(
        MessageCodec.ack(
            RelayMessages.REGISTER,
            r.id(),
            Map.of(
                "session",
                newString(session),
                "key",
                newString(state),
                "heartbeat",
                org.msgpack.value.ValueFactory.newInteger(heartbeat.toSeconds()))));
  }

  private void heartbeat(ServerCall call) {
    RelayMessages.Heartbeat h = RelayMessages.Heartbeat.decode(single(call));
    checkId("relay_heartbeat.payload.id", h.id());
    admission.verifyAccepted(h.id(), keyOf(call));
    relays.heartbeat(h.id(), h.spoolBytes());
    call.reply(MessageCodec.ack(RelayMessages.HEARTBEAT, h.id(), Map.of()));
  }

  private void subscribe(ServerCall call) {
    RelayMessages.Subscribe s = RelayMessages.Subscribe.decode(single(call));
    checkId("relay_subscribe.payload.id", s.relayId());
    admission.verifyAccepted(s.relayId(), keyOf(call));
    ServerStream stream = call.openStream();
    stream.send(MessageCodec.encode(new Subscribed(s.relayId())));
    RelayLink link = new RelayLink(s.relayId(), stream);
    relays.attach(link);
    stream.onClose(() -> relays.detach(link));
    log.info("relay {} linked from {}", s.relayId(), call.peer().address().orElse("unknown"));
  }

  private void relayed(ServerCall call) throws Exception {
    RelayMessages.Call c = RelayMessages.Call.decode(single(call));
    checkId("relay_call.payload.relay_id", c.relayId());
    admission.verifyAccepted(c.relayId(), keyOf(call));
    relayed(call, c, linkOf(c.relayId()));
  }

  /**
   * Serves each call of a batch as a single {@code relay_call}, and answers once every call has its
   * answer (a result's once it is durable), with the answers in the order of the calls.
   */
  private void relayedBatch(ServerCall call) throws Exception {
    RelayMessages.Calls batch = RelayMessages.Calls.decode(single(call));
    checkId("relay_calls.payload.relay_id", batch.relayId());
    admission.verifyAccepted(batch.relayId(), keyOf(call));
    RelayLink link = linkOf(batch.relayId());
    BatchAnswers answers = new BatchAnswers(call, batch.relayId(), batch.calls().size());
    for (int i = 0; i < batch.calls().size(); i++) {
      ServerCall slot = answers.slot(i);
      try {
        relayed(slot, batch.calls().get(i), link);
      } catch (BadMessageException e) {
        slot.error(RpcErrors.BAD_REQUEST, e.getMessage());
      } catch (RpcException e) {
        slot.error(e.name(), e.getMessage());
      } catch (RuntimeException e) {
        log.error("relayed call failed", e);
        slot.error(RpcErrors.INTERNAL, "the master failed to handle the message: " + e);
      }
    }
  }

  private RelayLink linkOf(String relayId) {
    RelayLink link = relays.link(relayId);
    if (link == null) {
      throw new RpcException(
          RpcErrors.REFUSED, "relay " + relayId + " has no open relay_subscribe stream");
    }
    return link;
  }

  private void relayed(ServerCall call, RelayMessages.Call c, RelayLink link) throws Exception {
    relays.seen(c.relayId());
    String agent = agentOf(c.args());
    if (agent != null) {
      relays.agentVia(agent, c.relayId());
    }
    byte[] key = null;
    if (c.agentKey() != null) {
      try {
        key = CurveKeys.decodeZ85(c.agentKey());
      } catch (RuntimeException e) {
        throw new BadMessageException("relay_call.payload.agent_key: not a Z85 CURVE key");
      }
    }
    PeerId peer =
        PeerId.relayed(
            (c.relayId() + "/" + c.agentAddress() + "/" + c.agentKey())
                .getBytes(StandardCharsets.UTF_8),
            key,
            c.agentAddress());
    String datacenter = relays.datacenter(c.relayId());
    if (agent != null && datacenter != null) {
      c = DatacenterLabel.add(c, datacenter);
    }
    (key == null ? plainAgents : agents).onCall(new RelayedCall(call, c, link, peer));
  }

  private void unlink(ServerCall call) {
    RelayMessages.Unlink u = RelayMessages.Unlink.decode(single(call));
    String relayId = u.relayId();
    if (relayId == null) {
      throw new BadMessageException("relay_unlink.payload.relay_id: required field is missing");
    }
    admission.verifyAccepted(relayId, keyOf(call));
    RelayLink link = relays.link(relayId);
    if (link != null) {
      link.unlinked(u.agentId(), u.stream());
    }
    call.reply(MessageCodec.ack(RelayMessages.UNLINK, u.agentId(), Map.of()));
  }

  /** An agent that registers straight here is no longer behind a relay. */
  private void noteDirect(ServerCall call) {
    if (MessageTypes.METHOD_SENDMSG.equals(call.method()) && call.args().size() == 1) {
      Value m = call.args().get(0);
      String type = field(m, "type");
      if (MessageTypes.REGISTER.equals(type) || MessageTypes.REGISTER_ALIAS.equals(type)) {
        String id = field(payload(m), "id");
        if (id != null) {
          relays.agentDirect(id);
        }
      }
    }
  }

  /** The agent a carried register names (the only call that changes which relay it is behind). */
  private static String agentOf(java.util.List<Value> args) {
    if (args.size() != 1) {
      return null;
    }
    Value m = args.get(0);
    String type = field(m, "type");
    if (MessageTypes.REGISTER.equals(type) || MessageTypes.REGISTER_ALIAS.equals(type)) {
      return field(payload(m), "id");
    }
    return null;
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

  private static Value single(ServerCall call) {
    if (call.args().size() != 1) {
      throw new BadMessageException(
          call.method() + ": expected 1 argument (the message), got " + call.args().size());
    }
    return call.args().get(0);
  }

  private static void checkId(String field, String id) {
    if (!ID.matcher(id).matches()) {
      throw new BadMessageException(field + ": expected 32 lowercase hex characters");
    }
  }

  private static String keyOf(ServerCall call) {
    byte[] key =
        call.peerKey()
            .orElseThrow(
                () ->
                    new RpcException(
                        RpcErrors.REFUSED, "relays connect to the CURVE agent port only"));
    return CurveKeys.encodeZ85(key);
  }
}
