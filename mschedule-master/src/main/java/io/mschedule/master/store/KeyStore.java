package io.mschedule.master.store;

import java.util.List;
import java.util.Optional;

/** Persistence of agent keys. */
public interface KeyStore {
  /** Ordered by agent id. */
  List<AgentKey> findAll();

  Optional<AgentKey> find(String agentId);

  /**
   * Stores each key unless its agent has one already, in one transaction; returns, in order, the
   * stored key of each agent: the very instance given when it was inserted, the one found
   * otherwise.
   */
  List<AgentKey> insertAllIfAbsent(List<AgentKey> keys);

  /** Replaces the state and decision of an existing key; false when the agent has none. */
  boolean update(AgentKey key);

  /** Forgets an agent's key; false when it had none. */
  boolean delete(String agentId);
}
