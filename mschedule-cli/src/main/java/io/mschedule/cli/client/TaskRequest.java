package io.mschedule.cli.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * The body of {@code POST /api/v1/tasks}. Null fields are left out so the master's defaults apply.
 *
 * @param script the script, run with {@code /bin/sh} unless it starts with {@code #!}
 * @param targets {@code all}, agent ids, hostname globs or labels {@code k=v}; their union
 * @param parallel runs in flight at once (master default 1)
 * @param failRate abort once more than this share of runs failed, 0..1; null = no rate threshold
 * @param failCount abort once more runs failed; null = no count threshold; -1 = never abort
 * @param timeout seconds per run, 0 = none (master default 0)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskRequest(
    String script,
    List<String> targets,
    Parallel parallel,
    Double failRate,
    Integer failCount,
    Integer timeout) {

  public TaskRequest {
    Objects.requireNonNull(script, "script");
    targets = targets == null || targets.isEmpty() ? List.of("all") : List.copyOf(targets);
  }

  /** A request with the master's defaults for everything but the script and the targets. */
  public static TaskRequest of(String script, List<String> targets) {
    return new TaskRequest(script, targets, null, null, null, null);
  }

  public TaskRequest withParallel(Parallel p) {
    return new TaskRequest(script, targets, p, failRate, failCount, timeout);
  }

  public TaskRequest withFailRate(Double r) {
    return new TaskRequest(script, targets, parallel, r, failCount, timeout);
  }

  public TaskRequest withFailCount(Integer n) {
    return new TaskRequest(script, targets, parallel, failRate, n, timeout);
  }

  public TaskRequest withTimeout(Integer seconds) {
    return new TaskRequest(script, targets, parallel, failRate, failCount, seconds);
  }
}
