package io.mschedule.master.dispatch;

import io.mschedule.master.task.Run;
import io.mschedule.master.task.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A gateway for tests: reaches every agent not listed as unlinked, and records what it was asked to
 * deliver.
 */
public final class RecordingGateway implements AgentGateway {
  public final List<String> starts = new ArrayList<>();
  public final List<String> kills = new ArrayList<>();
  public final Set<String> unlinked = new HashSet<>();

  @Override
  public boolean start(Task task, Run run) {
    starts.add(run.agentId());
    return isLinked(run.agentId());
  }

  @Override
  public boolean kill(Task task, Run run) {
    kills.add(run.agentId());
    return isLinked(run.agentId());
  }

  @Override
  public boolean isLinked(String agentId) {
    return !unlinked.contains(agentId);
  }
}
