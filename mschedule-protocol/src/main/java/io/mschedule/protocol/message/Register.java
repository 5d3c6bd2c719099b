package io.mschedule.protocol.message;

import java.util.List;
import java.util.Map;

/**
 * An agent announces itself.
 *
 * @param token join token (plain listener / automatic acceptance), or null
 */
public record Register(
    String id,
    String hostname,
    List<String> ip,
    Map<String, String> labels,
    String version,
    int protocol,
    List<String> running,
    String token)
    implements Message {

  public Register {
    ip = List.copyOf(ip);
    labels = Map.copyOf(labels);
    running = List.copyOf(running);
  }

  @Override
  public String type() {
    return MessageTypes.REGISTER;
  }
}
