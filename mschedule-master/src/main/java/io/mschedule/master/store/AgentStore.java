package io.mschedule.master.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Persistence of the agent registry. Liveness is kept in memory; last_seen is flushed in batches.
 */
public interface AgentStore {
  /** Inserts or replaces the agent; {@code firstSeen} of an existing row is kept. */
  default void upsert(AgentRecord agent) {
    upsertAll(List.of(agent));
  }

  /** {@link #upsert} for several agents, in one transaction. */
  void upsertAll(List<AgentRecord> agents);

  /** Sets last_seen for many agents in one batch; unknown ids are ignored. */
  void touch(Map<String, Instant> lastSeen);

  List<AgentRecord> findAll();

  /** Forgets an agent (its runs stay); false when there was none. */
  boolean delete(String id);

  Optional<AgentRecord> find(String id);
}
