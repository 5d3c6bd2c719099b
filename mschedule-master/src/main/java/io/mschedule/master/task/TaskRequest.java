package io.mschedule.master.task;

import java.util.List;
import java.util.Map;

/**
 * A submission as the API receives it, before validation.
 *
 * @param parallel an integer, or a string {@code "N%"} or {@code "N"}; null for the default
 * @param env parameters for the script's environment, or null
 * @param job {@code NAME} or {@code NAME@N}: run that job version instead of {@code script}
 * @param origin the job version, schedule slot or rerun the script comes from, or null
 * @param retries attempts after the first for a run that failed, timed out or was lost; null = 0
 * @param retryDelay seconds before the first retry (doubling after); null = the default
 */
public record TaskRequest(
    String script,
    List<String> targets,
    Object parallel,
    Double failRate,
    Integer failCount,
    Integer timeout,
    Map<String, String> env,
    String job,
    TaskOrigin origin,
    Integer retries,
    Integer retryDelay) {

  /** A request without retry settings. */
  public TaskRequest(
      String script,
      List<String> targets,
      Object parallel,
      Double failRate,
      Integer failCount,
      Integer timeout,
      Map<String, String> env,
      String job,
      TaskOrigin origin) {
    this(script, targets, parallel, failRate, failCount, timeout, env, job, origin, null, null);
  }

  /** A plain script without parameters. */
  public TaskRequest(
      String script,
      List<String> targets,
      Object parallel,
      Double failRate,
      Integer failCount,
      Integer timeout) {
    this(script, targets, parallel, failRate, failCount, timeout, null, null, null);
  }

  /** This request running {@code newScript} (no longer a job reference) from {@code newOrigin}. */
  public TaskRequest withScript(String newScript, TaskOrigin newOrigin) {
    return new TaskRequest(
        newScript,
        targets,
        parallel,
        failRate,
        failCount,
        timeout,
        env,
        null,
        newOrigin,
        retries,
        retryDelay);
  }

  /** This request on other targets. */
  public TaskRequest withTargets(List<String> newTargets) {
    return new TaskRequest(
        script,
        newTargets,
        parallel,
        failRate,
        failCount,
        timeout,
        env,
        job,
        origin,
        retries,
        retryDelay);
  }
}
