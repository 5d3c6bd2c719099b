package io.mschedule.master.rpc;

import io.mschedule.protocol.message.Message;
import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.zerorpc.ServerStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.msgpack.value.Value;

/** The open order stream ({@code subscribe}) of each connected agent. */
public final class AgentLinks {
  private final Map<String, ServerStream> streams = new ConcurrentHashMap<>();

  /**
   * Makes {@code stream} the agent's link; an older one is ended. {@code onDown} runs when this
   * stream closes while it is still the agent's link.
   */
  public void attach(String agentId, ServerStream stream, Runnable onDown) {
    ServerStream old = streams.put(agentId, stream);
    if (old != null && old != stream && old.isOpen()) {
      old.done();
    }
    stream.onClose(
        () -> {
          if (streams.remove(agentId, stream)) {
            onDown.run();
          }
        });
  }

  /** Ends the agent's stream with an error (its key was rejected or deleted). */
  public void drop(String agentId, String name, String why) {
    ServerStream s = streams.remove(agentId);
    if (s != null && s.isOpen()) {
      s.error(name, why);
    }
  }

  public boolean isLinked(String agentId) {
    ServerStream s = streams.get(agentId);
    return s != null && s.isOpen();
  }

  /** Sends an order; false when the agent has no open link or its buffer is full. */
  public boolean send(String agentId, Message message) {
    return send(agentId, MessageCodec.encode(message));
  }

  /** Sends an already encoded order (one encoding serves a whole fan-out). */
  public boolean send(String agentId, Value encoded) {
    ServerStream s = streams.get(agentId);
    return s != null && s.isOpen() && s.send(encoded);
  }

  public int size() {
    return streams.size();
  }
}
