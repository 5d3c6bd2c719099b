package io.mschedule.master.agents;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot of one agent: what it told us, whether it is online, and the state of its key ({@code
 * accepted}, {@code pending}, {@code rejected}).
 *
 * @param name the name the agent was given ({@code --name}), or null when it sent none
 * @param master the id of the master that holds (or last held) the agent's connection, or null
 */
public record AgentView(
    String id,
    String hostname,
    List<String> ip,
    Map<String, String> labels,
    String version,
    boolean online,
    Instant firstSeen,
    Instant lastSeen,
    Set<String> running,
    String key,
    String name,
    String master) {

  /** An agent whose master is not known. */
  public AgentView(
      String id,
      String hostname,
      List<String> ip,
      Map<String, String> labels,
      String version,
      boolean online,
      Instant firstSeen,
      Instant lastSeen,
      Set<String> running,
      String key,
      String name) {
    this(id, hostname, ip, labels, version, online, firstSeen, lastSeen, running, key, name, null);
  }

  /** Key states as the API shows them. */
  public static final String KEY_ACCEPTED = "accepted";

  public static final String KEY_PENDING = "pending";

  /** An agent without a name of its own. */
  public AgentView(
      String id,
      String hostname,
      List<String> ip,
      Map<String, String> labels,
      String version,
      boolean online,
      Instant firstSeen,
      Instant lastSeen,
      Set<String> running,
      String key) {
    this(id, hostname, ip, labels, version, online, firstSeen, lastSeen, running, key, null, null);
  }

  /**
   * {@code pending} while an operator has to accept its key, else {@code online}/{@code offline}.
   */
  public String state() {
    if (pending()) {
      return KEY_PENDING;
    }
    return online ? "online" : "offline";
  }

  /** Only agents whose key is accepted receive tasks. */
  public boolean accepted() {
    return KEY_ACCEPTED.equals(key);
  }

  public boolean pending() {
    return KEY_PENDING.equals(key);
  }

  /** The name operators see: the agent's name, else its hostname. */
  public String displayName() {
    return name == null || name.isBlank() ? hostname : name;
  }
}
