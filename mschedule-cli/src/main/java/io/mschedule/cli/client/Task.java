package io.mschedule.cli.client;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task as the API reports it.
 *
 * @param reason why the task ended the way it did (e.g. the abort reason), or null
 * @param parallel runs allowed in flight at once (a percentage is resolved at submission)
 * @param failCount -1: failures never abort
 * @param timeout seconds per run, 0 = none
 * @param counts number of runs per run state name
 * @param runs the runs; their output is null in task lists
 */
public record Task(
    String id,
    TaskState state,
    String reason,
    String script,
    List<String> targets,
    Integer parallel,
    Double failRate,
    Integer failCount,
    Integer timeout,
    Instant createdAt,
    Instant finishedAt,
    Map<String, Integer> counts,
    List<Run> runs) {

  public Task {
    state = state == null ? TaskState.UNKNOWN : state;
    targets = targets == null ? List.of() : List.copyOf(targets);
    counts = counts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    runs = runs == null ? List.of() : List.copyOf(runs);
  }
}
