package io.mschedule.master.agents;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot of one agent: what it told us, whether it is online, and the state of its key ({@code
 * accepted}, {@code pending}, {@code rejected}).
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
    String key) {

  /** Key states as the API shows them. */
  public static final String KEY_ACCEPTED = "accepted";

  public String state() {
    return online ? "online" : "offline";
  }

  /** Only agents whose key is accepted receive tasks. */
  public boolean accepted() {
    return KEY_ACCEPTED.equals(key);
  }
}
