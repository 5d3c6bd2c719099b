package io.mschedule.master.dispatch;

import io.mschedule.protocol.message.Message;
import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.zerorpc.ServerStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The open order stream ({@code subscribe}) of each connected agent. */
public final class AgentLinks {
  private final Map<String, ServerStream> streams = new ConcurrentHashMap<>();

  /** Makes {@code stream} the agent's link; an older one is ended. */
  public void attach(String agentId, ServerStream stream) {
    ServerStream old = streams.put(agentId, stream);
    if (old != null && old != stream && old.isOpen()) {
      old.done();
    }
    stream.onClose(() -> streams.remove(agentId, stream));
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
    ServerStream s = streams.get(agentId);
    return s != null && s.isOpen() && s.send(MessageCodec.encode(message));
  }

  public int size() {
    return streams.size();
  }
}
