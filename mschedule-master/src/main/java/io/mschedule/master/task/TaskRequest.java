package io.mschedule.master.task;

import java.util.List;
import java.util.Map;

/**
 * A submission as the API receives it, before validation.
 *
 * @param parallel an integer, or a string {@code "N%"} or {@code "N"}; null for the default
 * @param env parameters for the script's environment, or null
 * @param script the script's bytes, or null (a job)
 * @param job {@code NAME} or {@code NAME@N}: run that job version instead of {@code script}
 * @param origin the job version, schedule slot or rerun the script comes from, or null
 * @param files files to put on the hosts (empty when none)
 * @param copy true for a copy task: no script, the runs put {@code files} in place
 * @param retries attempts after the first for a run that failed, timed out or was lost; null = 0
 * @param retryDelay seconds before the first retry (doubling after); null = the default
 */
public record TaskRequest(
    Script script,
    List<String> targets,
    Object parallel,
    Double failRate,
    Integer failCount,
    Integer timeout,
    Map<String, String> env,
    String job,
    TaskOrigin origin,
    List<FileRequest> files,
    boolean copy,
    Integer retries,
    Integer retryDelay) {

  public TaskRequest {
    files = files == null ? List.of() : List.copyOf(files);
  }

  /** A request without files or retry settings. */
  public TaskRequest(
      Script script,
      List<String> targets,
      Object parallel,
      Double failRate,
      Integer failCount,
      Integer timeout,
      Map<String, String> env,
      String job,
      TaskOrigin origin) {
    this(
        script, targets, parallel, failRate, failCount, timeout, env, job, origin, null, false,
        null, null);
  }

  /** A plain script without parameters. */
  public TaskRequest(
      String script,
      List<String> targets,
      Object parallel,
      Double failRate,
      Integer failCount,
      Integer timeout) {
    this(
        script == null ? null : Script.of(script),
        targets,
        parallel,
        failRate,
        failCount,
        timeout,
        null,
        null,
        null);
  }

  /** This request running {@code newScript} (no longer a job reference) from {@code newOrigin}. */
  public TaskRequest withScript(Script newScript, TaskOrigin newOrigin) {
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
        files,
        copy,
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
        files,
        copy,
        retries,
        retryDelay);
  }
}
