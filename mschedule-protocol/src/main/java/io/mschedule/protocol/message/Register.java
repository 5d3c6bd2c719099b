package io.mschedule.protocol.message;

import java.util.List;
import java.util.Map;

/**
 * An agent announces itself.
 *
 * @param token join token (plain listener / automatic acceptance), or null
 * @param name the name the operator gave the agent, or null (older agents send none; the master
 *     then shows the hostname)
 */
public record Register(
    String id,
    String hostname,
    List<String> ip,
    Map<String, String> labels,
    String version,
    int protocol,
    List<String> running,
    String token,
    String name)
    implements Message {

  public Register {
    ip = List.copyOf(ip);
    labels = Map.copyOf(labels);
    running = List.copyOf(running);
  }

  /** A registration without a name, as older agents send it. */
  public Register(
      String id,
      String hostname,
      List<String> ip,
      Map<String, String> labels,
      String version,
      int protocol,
      List<String> running,
      String token) {
    this(id, hostname, ip, labels, version, protocol, running, token, null);
  }

  @Override
  public String type() {
    return MessageTypes.REGISTER;
  }
}
