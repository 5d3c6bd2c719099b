package io.mschedule.master.store;

import java.util.List;
import java.util.Optional;

/** Persistence of agent keys. */
public interface KeyStore {
  /** Ordered by agent id. */
  List<AgentKey> findAll();

  Optional<AgentKey> find(String agentId);

  /** Stores {@code key} unless the agent has one already; returns the stored one. */
  AgentKey insertIfAbsent(AgentKey key);

  /** Replaces the state and decision of an existing key; false when the agent has none. */
  boolean update(AgentKey key);

  /** Forgets an agent's key; false when it had none. */
  boolean delete(String agentId);
}
