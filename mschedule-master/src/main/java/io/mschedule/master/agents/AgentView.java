package io.mschedule.master.agents;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A snapshot of one agent: what it told us, and whether it is online. */
public record AgentView(
    String id,
    String hostname,
    List<String> ip,
    Map<String, String> labels,
    String version,
    boolean online,
    Instant firstSeen,
    Instant lastSeen,
    Set<String> running) {

  public String state() {
    return online ? "online" : "offline";
  }
}
