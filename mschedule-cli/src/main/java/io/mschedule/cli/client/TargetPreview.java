package io.mschedule.cli.client;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * What targets select, as {@code POST /api/v1/targets/preview} answers it.
 *
 * @param agents the online agents with an accepted key that a task would run on
 * @param pending how many agents whose key is pending matched as well (they would not run it)
 * @param errors for each target that selects nothing, the error a task submission would give
 */
public record TargetPreview(List<Host> agents, int pending, List<String> errors) {
  public TargetPreview {
    agents = agents == null ? List.of() : List.copyOf(agents);
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  /** One selected agent. */
  public record Host(String id, String name, String hostname, String state) {
    /** The name to show: the agent's name, else its hostname, else its id. */
    @JsonIgnore
    public String displayName() {
      if (name != null && !name.isBlank()) {
        return name;
      }
      return hostname == null || hostname.isBlank() ? id : hostname;
    }
  }
}
