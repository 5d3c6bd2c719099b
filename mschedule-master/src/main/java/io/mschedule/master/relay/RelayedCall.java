package io.mschedule.master.relay;

import static org.msgpack.value.ValueFactory.newInteger;

import io.mschedule.protocol.message.Message;
import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.message.MessageTypes;
import io.mschedule.protocol.message.RelayMessages;
import io.mschedule.protocol.message.Subscribe;
import io.mschedule.protocol.zerorpc.PeerId;
import io.mschedule.protocol.zerorpc.ServerCall;
import io.mschedule.protocol.zerorpc.ServerStream;
import java.util.List;
import java.util.Map;
import org.msgpack.value.Value;

/**
 * An agent's call carried by a relay, served by the master's agent handler as if the agent had
 * called directly: the peer is the agent (its key, its address), the answer goes back on the
 * relay's {@code relay_call}.
 */
final class RelayedCall implements ServerCall {
  private final ServerCall outer;
  private final RelayMessages.Call call;
  private final RelayLink link;
  private final PeerId peer;

  RelayedCall(ServerCall outer, RelayMessages.Call call, RelayLink link, PeerId peer) {
    this.outer = outer;
    this.call = call;
    this.link = link;
    this.peer = peer;
  }

  @Override
  public String method() {
    return call.method();
  }

  @Override
  public List<Value> args() {
    return call.args();
  }

  @Override
  public PeerId peer() {
    return peer;
  }

  @Override
  public boolean isOpen() {
    return outer.isOpen();
  }

  @Override
  public void reply(Value result) {
    outer.reply(result);
  }

  @Override
  public void error(String name, String message) {
    outer.error(name, message);
  }

  /** The agent's order stream: its items travel on the relay's stream. */
  @Override
  public ServerStream openStream() {
    if (!MessageTypes.METHOD_SUBSCRIBE.equals(call.method()) || call.args().size() != 1) {
      throw new IllegalStateException("only an agent's subscribe opens a stream");
    }
    Message m = MessageCodec.decode(call.args().get(0));
    if (!(m instanceof Subscribe s)) {
      throw new IllegalStateException("subscribe without a subscribe message");
    }
    RelayedStream stream = link.open(s.id());
    outer.reply(
        MessageCodec.ack(
            RelayMessages.CALL, s.id(), Map.of("stream", newInteger(stream.number()))));
    return stream;
  }
}
