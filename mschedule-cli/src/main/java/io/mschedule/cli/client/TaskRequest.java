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
 * @param files files uploaded to the master, to put on the hosts; null when none
 * @param copy true for a copy task (no script or job: the runs put {@code files} in place); null
 *     otherwise
 * @param scriptB64 the script's bytes in Base64, instead of {@code script}: files are sent this
 *     way, so a script that is not UTF-8 runs exactly as written
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
    List<FileRequest> files,
    Boolean copy,
    String scriptB64,
    Integer retries,
    Integer retryDelay) {

  public TaskRequest {
    boolean isCopy = Boolean.TRUE.equals(copy);
    int given = (script == null ? 0 : 1) + (scriptB64 == null ? 0 : 1) + (job == null ? 0 : 1);
    if (isCopy ? given != 0 : given != 1) {
      throw new IllegalArgumentException("a task runs either a script or a job, or copies files");
    }
    files = files == null || files.isEmpty() ? null : List.copyOf(files);
    copy = isCopy ? Boolean.TRUE : null;
    targets = targets == null || targets.isEmpty() ? List.of("all") : List.copyOf(targets);
    env = env == null || env.isEmpty() ? null : Map.copyOf(env);
  }

  /** A request with the master's defaults for everything but the script and the targets. */
  public static TaskRequest of(String script, List<String> targets) {
    return new TaskRequest(
        script, targets, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** A request for a script given as bytes, sent as they are (Base64). */
  public static TaskRequest ofBytes(byte[] script, List<String> targets) {
    return new TaskRequest(
        null,
        targets,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        java.util.Base64.getEncoder().encodeToString(script),
        null,
        null);
  }

  /** A request that runs a job version ({@code NAME} or {@code NAME@N}). */
  public static TaskRequest ofJob(String job, List<String> targets) {
    return new TaskRequest(
        null, targets, null, null, null, null, null, job, null, null, null, null, null);
  }

  /** A copy task: the runs put {@code files} (at absolute destinations) in place. */
  public static TaskRequest ofCopy(List<FileRequest> files, List<String> targets) {
    return new TaskRequest(
        null, targets, null, null, null, null, null, null, files, true, null, null, null);
  }

  /** This request with files for the script's work directory. */
  public TaskRequest withFiles(List<FileRequest> f) {
    return new TaskRequest(
        script,
        targets,
        parallel,
        failRate,
        failCount,
        timeout,
        env,
        job,
        f,
        copy,
        scriptB64,
        retries,
        retryDelay);
  }

  public TaskRequest withParallel(Parallel p) {
    return new TaskRequest(
        script,
        targets,
        p,
        failRate,
        failCount,
        timeout,
        env,
        job,
        files,
        copy,
        scriptB64,
        retries,
        retryDelay);
  }

  public TaskRequest withFailRate(Double r) {
    return new TaskRequest(
        script,
        targets,
        parallel,
        r,
        failCount,
        timeout,
        env,
        job,
        files,
        copy,
        scriptB64,
        retries,
        retryDelay);
  }

  public TaskRequest withFailCount(Integer n) {
    return new TaskRequest(
        script,
        targets,
        parallel,
        failRate,
        n,
        timeout,
        env,
        job,
        files,
        copy,
        scriptB64,
        retries,
        retryDelay);
  }

  public TaskRequest withTimeout(Integer seconds) {
    return new TaskRequest(
        script,
        targets,
        parallel,
        failRate,
        failCount,
        seconds,
        env,
        job,
        files,
        copy,
        scriptB64,
        retries,
        retryDelay);
  }

  public TaskRequest withRetries(Integer n, Integer delaySeconds) {
    return new TaskRequest(
        script,
        targets,
        parallel,
        failRate,
        failCount,
        timeout,
        env,
        job,
        files,
        copy,
        scriptB64,
        n,
        delaySeconds);
  }

  public TaskRequest withEnv(Map<String, String> e) {
    return new TaskRequest(
        script,
        targets,
        parallel,
        failRate,
        failCount,
        timeout,
        e,
        job,
        files,
        copy,
        scriptB64,
        retries,
        retryDelay);
  }
}
