package io.mschedule.master.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An agent as the registry remembers it across master restarts.
 *
 * @param name the name the agent was given ({@code --name}), or null
 */
public record AgentRecord(
    String id,
    String hostname,
    List<String> ip,
    Map<String, String> labels,
    String version,
    Instant firstSeen,
    Instant lastSeen,
    String name) {

  public AgentRecord {
    ip = List.copyOf(ip);
    labels = Map.copyOf(labels);
  }

  /** An agent without a name of its own. */
  public AgentRecord(
      String id,
      String hostname,
      List<String> ip,
      Map<String, String> labels,
      String version,
      Instant firstSeen,
      Instant lastSeen) {
    this(id, hostname, ip, labels, version, firstSeen, lastSeen, null);
  }
}
