package io.mschedule.master.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An agent as the registry remembers it across master restarts. */
public record AgentRecord(
    String id,
    String hostname,
    List<String> ip,
    Map<String, String> labels,
    String version,
    Instant firstSeen,
    Instant lastSeen) {

  public AgentRecord {
    ip = List.copyOf(ip);
    labels = Map.copyOf(labels);
  }
}
