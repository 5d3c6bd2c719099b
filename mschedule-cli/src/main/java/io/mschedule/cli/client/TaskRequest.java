package io.mschedule.cli.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/tasks}. Null fields are left out so the master's defaults apply.
 *
 * @param script the script, run with {@code /bin/sh} unless it starts with {@code #!}; null when
 *     {@code job} names what to run
 * @param targets {@code all}, agent ids, hostname globs or labels {@code k=v}; their union
 * @param parallel runs in flight at once (master default 1)
 * @param failRate abort once more than this share of runs failed, 0..1; null = no rate threshold
 * @param failCount abort once more runs failed; null = no count threshold; -1 = never abort
 * @param timeout seconds per run, 0 = none (master default 0)
 * @param env parameters for the script's environment, or null
 * @param job {@code NAME} (newest version) or {@code NAME@N}, instead of a script
 * @param retries retries of a run that failed, timed out or was lost (master default 0)
 * @param retryDelay seconds before the first retry, doubling after (master default 10)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskRequest(
    String script,
    List<String> targets,
    Parallel parallel,
    Double failRate,
    Integer failCount,
    Integer timeout,
    Map<String, String> env,
    String job,
    Integer retries,
    Integer retryDelay) {

  public TaskRequest {
    if ((script == null) == (job == null)) {
      throw new IllegalArgumentException("a task runs either a script or a job");
    }
    targets = targets == null || targets.isEmpty() ? List.of("all") : List.copyOf(targets);
    env = env == null || env.isEmpty() ? null : Map.copyOf(env);
  }

  /** A request with the master's defaults for everything but the script and the targets. */
  public static TaskRequest of(String script, List<String> targets) {
    return new TaskRequest(script, targets, null, null, null, null, null, null, null, null);
  }

  /** A request that runs a job version ({@code NAME} or {@code NAME@N}). */
  public static TaskRequest ofJob(String job, List<String> targets) {
    return new TaskRequest(null, targets, null, null, null, null, null, job, null, null);
  }

  public TaskRequest withParallel(Parallel p) {
    return new TaskRequest(
        script, targets, p, failRate, failCount, timeout, env, job, retries, retryDelay);
  }

  public TaskRequest withFailRate(Double r) {
    return new TaskRequest(
        script, targets, parallel, r, failCount, timeout, env, job, retries, retryDelay);
  }

  public TaskRequest withFailCount(Integer n) {
    return new TaskRequest(
        script, targets, parallel, failRate, n, timeout, env, job, retries, retryDelay);
  }

  public TaskRequest withTimeout(Integer seconds) {
    return new TaskRequest(
        script, targets, parallel, failRate, failCount, seconds, env, job, retries, retryDelay);
  }

  public TaskRequest withRetries(Integer n, Integer delaySeconds) {
    return new TaskRequest(
        script, targets, parallel, failRate, failCount, timeout, env, job, n, delaySeconds);
  }

  public TaskRequest withEnv(Map<String, String> e) {
    return new TaskRequest(
        script, targets, parallel, failRate, failCount, timeout, e, job, retries, retryDelay);
  }
}
