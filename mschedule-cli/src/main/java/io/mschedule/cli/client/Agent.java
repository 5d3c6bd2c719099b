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
 * @param state {@code online}, {@code offline}, or {@code pending} while its key waits
 * @param running ids of the tasks the agent is running
 * @param key state of the agent's key: {@code accepted}, {@code pending} or {@code rejected}
 * @param name the agent's name (its hostname unless it was given one with {@code --name})
 * @param master the id of the master that holds (or last held) the agent's connection
 * @param relay the id of the relay the agent is connected through, null when directly
 * @param datacenter its {@code datacenter} label (given by its relay), or null
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
    String key,
    String name,
    String master,
    String relay,
    String datacenter) {

  public Agent {
    ip = ip == null ? List.of() : List.copyOf(ip);
    labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    running = running == null ? List.of() : List.copyOf(running);
  }

  /** An agent as masters without relays report it. */
  public Agent(
      String id,
      String hostname,
      List<String> ip,
      Map<String, String> labels,
      String state,
      Instant lastSeen,
      Instant firstSeen,
      String version,
      List<String> running,
      String key,
      String name,
      String master) {
    this(
        id, hostname, ip, labels, state, lastSeen, firstSeen, version, running, key, name, master,
        null, null);
  }

  /** An agent as older masters report it, without a name. */
  public Agent(
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
    this(id, hostname, ip, labels, state, lastSeen, firstSeen, version, running, key, null, null);
  }

  /** An agent as masters without clusters report it. */
  public Agent(
      String id,
      String hostname,
      List<String> ip,
      Map<String, String> labels,
      String state,
      Instant lastSeen,
      Instant firstSeen,
      String version,
      List<String> running,
      String key,
      String name) {
    this(id, hostname, ip, labels, state, lastSeen, firstSeen, version, running, key, name, null);
  }

  /** The name to show: the agent's name, else its hostname, else its id. */
  @JsonIgnore
  public String displayName() {
    if (name != null && !name.isBlank()) {
      return name;
    }
    return hostname == null || hostname.isBlank() ? id : hostname;
  }

  @JsonIgnore
  public boolean isOnline() {
    return "online".equals(state);
  }
}
