package io.mschedule.master.peer;

import io.mschedule.master.dispatch.AgentGateway;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.Task;

/**
 * Orders go straight to an agent linked to this master, and through its master to an agent held by
 * another one.
 */
public final class RoutingGateway implements AgentGateway {
  private final AgentGateway direct;
  private final AgentGateway peer;

  public RoutingGateway(AgentGateway direct, AgentGateway peer) {
    this.direct = direct;
    this.peer = peer;
  }

  @Override
  public boolean start(Task task, Run run) {
    return direct.isLinked(run.agentId()) ? direct.start(task, run) : peer.start(task, run);
  }

  @Override
  public boolean kill(Task task, Run run) {
    return direct.isLinked(run.agentId()) ? direct.kill(task, run) : peer.kill(task, run);
  }

  @Override
  public void together(Runnable sends) {
    direct.together(() -> peer.together(sends));
  }

  @Override
  public boolean isLinked(String agentId) {
    return direct.isLinked(agentId) || peer.isLinked(agentId);
  }

  @Override
  public boolean heldElsewhere(String agentId) {
    return !direct.isLinked(agentId) && peer.heldElsewhere(agentId);
  }
}
