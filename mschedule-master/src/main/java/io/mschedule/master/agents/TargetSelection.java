package io.mschedule.master.agents;

import java.util.List;

/**
 * What a list of targets selects: the online agents with an accepted key that would run a task, how
 * many agents with a pending key would have matched too, and, for each target that selects nothing,
 * the error a task submission would give.
 */
public record TargetSelection(List<AgentView> agents, int pending, List<String> errors) {
  public TargetSelection {
    agents = List.copyOf(agents);
    errors = List.copyOf(errors);
  }
}
