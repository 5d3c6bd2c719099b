package io.mschedule.cli.client;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An agent as {@code GET /api/v1/agents} reports it.
 *
 * @param state {@code online} or {@code offline}
 * @param running ids of the tasks the agent is running
 * @param key state of the agent's key: {@code accepted}, {@code pending} or {@code rejected}
 */
public record Agent(
    String id,
    String hostname,
    List<String> ip,
    Map<String, String> labels,
    String state,
    Instant lastSeen,
    Instant firstSeen,
    String version,
    List<String> running,
    String key) {

  public Agent {
    ip = ip == null ? List.of() : List.copyOf(ip);
    labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    running = running == null ? List.of() : List.copyOf(running);
  }

  @JsonIgnore
  public boolean isOnline() {
    return "online".equals(state);
  }
}
