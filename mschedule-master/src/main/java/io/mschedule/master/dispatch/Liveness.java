package io.mschedule.master.dispatch;

import java.time.Instant;

/** What the planner knows about the agents: a read-only view, answered from memory. */
public interface Liveness {
  /** The agent sent a message within the liveness window. */
  boolean online(String agentId);

  /** Orders can be sent to the agent now (see {@link AgentGateway#isLinked}). */
  boolean linked(String agentId);

  /**
   * Whether the agent may still be running the task's run started at {@code startedAt}: its latest
   * report of running tasks lists it, or no report came since the run started.
   */
  boolean mayBeRunning(String agentId, String taskId, Instant startedAt);

  /**
   * False during the start-up grace of the master: agents are still reconnecting, so an absent
   * agent's runs are not declared lost yet.
   */
  boolean settled(Instant now);
}
