package io.mschedule.master.peer;

import io.mschedule.master.store.RunOrderStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which agents other live masters hold, read from the database at most once per {@link #FRESH_FOR}
 * so that asking about one agent costs a map lookup. When the database cannot be read, the last
 * answer stands until it can.
 */
public final class PeerDirectory {
  private static final Logger log = LoggerFactory.getLogger(PeerDirectory.class);

  /** How long one reading of the database answers for. */
  public static final Duration FRESH_FOR = Duration.ofMillis(500);

  private final RunOrderStore store;
  private final String masterId;
  private final Duration masterDeadAfter;
  private final Duration seenWithin;
  private final Clock clock;
  private volatile Map<String, String> agents = Map.of();
  private volatile Instant readAt = Instant.MIN;
  private volatile boolean unreachable;

  /**
   * @param masterDeadAfter a master whose heartbeat is older is dead: its agents are not reachable
   * @param seenWithin an agent whose last_seen (flushed in batches by its master) is older is gone
   */
  public PeerDirectory(
      RunOrderStore store,
      String masterId,
      Duration masterDeadAfter,
      Duration seenWithin,
      Clock clock) {
    this.store = store;
    this.masterId = masterId;
    this.masterDeadAfter = masterDeadAfter;
    this.seenWithin = seenWithin;
    this.clock = clock;
  }

  /** The other live master holding the agent, or null. */
  public String masterOf(String agentId) {
    return current().get(agentId);
  }

  private Map<String, String> current() {
    Instant now = clock.instant();
    if (now.isBefore(readAt.plus(FRESH_FOR))) {
      return agents;
    }
    readAt = now;
    try {
      agents = Map.copyOf(store.peerAgents(masterId, masterDeadAfter, seenWithin));
      unreachable = false;
    } catch (RuntimeException e) {
      if (!unreachable) { // once per outage
        unreachable = true;
        log.warn("cannot read which agents other masters hold, retrying: {}", e.toString());
      }
    }
    return agents;
  }
}
