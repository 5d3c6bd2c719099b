package io.mschedule.relay.agents;

import io.mschedule.protocol.message.Message;
import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.message.MessageTypes;
import io.mschedule.protocol.message.RelayMessages;
import io.mschedule.protocol.message.Subscribe;
import io.mschedule.protocol.zerorpc.CallHandler;
import io.mschedule.protocol.zerorpc.CurveKeys;
import io.mschedule.protocol.zerorpc.RemoteErrorException;
import io.mschedule.protocol.zerorpc.ServerCall;
import io.mschedule.relay.uplink.MasterUplink;
import io.mschedule.relay.uplink.UplinkDownException;
import java.util.concurrent.CompletionException;
import org.msgpack.value.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the agent protocol to the site's agents by carrying each call to the master unchanged,
 * with the agent's CURVE key and address; the master's answer goes back to the agent as it came.
 */
public final class AgentPort implements CallHandler {
  private static final Logger log = LoggerFactory.getLogger(AgentPort.class);

  /** The error name an agent gets while the relay cannot reach the master (retry later). */
  static final String INTERNAL = "Internal";

  private final String relayId;
  private final MasterUplink uplink;
  private final AgentStreams streams;

  public AgentPort(String relayId, MasterUplink uplink, AgentStreams streams) {
    this.relayId = relayId;
    this.uplink = uplink;
    this.streams = streams;
  }

  @Override
  public void onCall(ServerCall call) {
    String key = call.peerKey().map(CurveKeys::encodeZ85).orElse(null);
    RelayMessages.Call carried =
        new RelayMessages.Call(
            relayId, call.method(), key, call.peer().address().orElse(null), call.args());
    boolean subscribe = MessageTypes.METHOD_SUBSCRIBE.equals(call.method());
    uplink
        .call(carried)
        .whenComplete(
            (reply, error) -> {
              if (error != null) {
                fail(call, error);
              } else if (subscribe) {
                openStream(call, reply);
              } else {
                call.reply(reply);
              }
            });
  }

  private void openStream(ServerCall call, Value reply) {
    Long number = streamNumber(reply);
    String agentId = agentOf(call);
    if (number == null || agentId == null) {
      call.error(INTERNAL, "the master answered subscribe without a stream");
      return;
    }
    streams.attach(agentId, number, call.openStream());
  }

  private static void fail(ServerCall call, Throwable error) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof RemoteErrorException r) {
      call.error(r.name(), r.remoteMessage());
    } else if (e instanceof UplinkDownException) {
      call.error(INTERNAL, "the relay cannot reach the master right now; retry later");
    } else {
      log.debug("{} failed on the way to the master", call.method(), e);
      call.error(INTERNAL, "the relay could not reach the master: " + e.getMessage());
    }
  }

  private static String agentOf(ServerCall call) {
    if (call.args().size() != 1) {
      return null;
    }
    Message m = MessageCodec.decode(call.args().get(0));
    return m instanceof Subscribe s ? s.id() : null;
  }

  private static Long streamNumber(Value reply) {
    if (reply == null || !reply.isMapValue()) {
      return null;
    }
    Value v = reply.asMapValue().map().get(org.msgpack.value.ValueFactory.newString("stream"));
    return v != null && v.isIntegerValue() ? v.asIntegerValue().toLong() : null;
  }
}
