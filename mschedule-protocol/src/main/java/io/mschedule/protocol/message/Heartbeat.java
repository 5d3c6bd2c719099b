package io.mschedule.protocol.message;

import java.util.List;

/**
 * An agent is alive. {@code hostname} and {@code ip} may be null (not sent).
 *
 * @param running ids of the tasks the agent is executing now
 */
public record Heartbeat(String id, String hostname, List<String> ip, List<String> running)
    implements Message {

  public Heartbeat {
    ip = ip == null ? null : List.copyOf(ip);
    running = List.copyOf(running);
  }

  @Override
  public String type() {
    return MessageTypes.HEARTBEAT;
  }
}
