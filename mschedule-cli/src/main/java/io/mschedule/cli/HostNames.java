package io.mschedule.cli;

import io.mschedule.cli.client.Run;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The names runs are shown under: the hostname, else the agent id; a hostname that several runs of
 * the task share (agents on one machine) gets the agent id's first 8 characters, {@code vm
 * [9c2afd8d]}, so each line says which agent printed it.
 */
final class HostNames {
  /** Shows each run under its own hostname. */
  static final HostNames PLAIN = new HostNames(Map.of());

  private static final int SHORT_ID = 8;

  private final Map<String, Integer> perHostname;

  private HostNames(Map<String, Integer> perHostname) {
    this.perHostname = perHostname;
  }

  /** Names for the runs of one task. */
  static HostNames of(List<Run> runs) {
    Map<String, Integer> count = new HashMap<>();
    for (Run r : runs) {
      String shown = shown(r);
      if (shown != null && !shown.isBlank()) {
        count.merge(shown, 1, Integer::sum);
      }
    }
    return new HostNames(count);
  }

  String of(Run run) {
    return of(run.agentId(), shown(run));
  }

  /** What a run is shown under: its agent's name when it has one, else its hostname. */
  private static String shown(Run run) {
    return run.name() != null && !run.name().isBlank() ? run.name() : run.hostname();
  }

  String of(String agentId, String hostname) {
    if (hostname == null || hostname.isBlank()) {
      return agentId;
    }
    if (perHostname.getOrDefault(hostname, 0) > 1 && agentId != null) {
      return hostname + " [" + agentId.substring(0, Math.min(SHORT_ID, agentId.length())) + "]";
    }
    return hostname;
  }
}
