package io.mschedule.master.agents;

/** Told when an agent comes online or goes offline. Called from registry threads: keep it short. */
public interface AgentListener {
  void onOnline(String agentId);

  void onOffline(String agentId);
}
