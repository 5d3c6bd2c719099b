package io.mschedule.cli.client;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param scriptSha256 the SHA-256 of the script, as the agents check it
 * @param env the parameters added to the script's environment
 * @param job the job the script is a version of, or null
 * @param jobVersion that version's number, or null
 * @param schedule the schedule that created the task, or null
 * @param scheduledFor the slot of that schedule, or null
 * @param rerunOf the task this one reruns, or null
 * @param files the files the task puts on its hosts (name, size, SHA-256, destination)
 * @param copy true for a copy task ({@code mschedule cp})
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
    List<Run> runs,
    String scriptSha256,
    Map<String, String> env,
    String job,
    Integer jobVersion,
    String schedule,
    Instant scheduledFor,
    String rerunOf,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TaskFile> files,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean copy) {

  /** A task without files. */
  public Task(
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
      List<Run> runs,
      String scriptSha256,
      Map<String, String> env,
      String job,
      Integer jobVersion,
      String schedule,
      Instant scheduledFor,
      String rerunOf) {
    this(
        id,
        state,
        reason,
        script,
        targets,
        parallel,
        failRate,
        failCount,
        timeout,
        createdAt,
        finishedAt,
        counts,
        runs,
        scriptSha256,
        env,
        job,
        jobVersion,
        schedule,
        scheduledFor,
        rerunOf,
        null,
        false);
  }

  /** A task with no parameters and no origin. */
  public Task(
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
    this(
        id,
        state,
        reason,
        script,
        targets,
        parallel,
        failRate,
        failCount,
        timeout,
        createdAt,
        finishedAt,
        counts,
        runs,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  public Task {
    env = env == null ? Map.of() : Collections.unmodifiableMap(new java.util.TreeMap<>(env));
    state = state == null ? TaskState.UNKNOWN : state;
    targets = targets == null ? List.of() : List.copyOf(targets);
    counts = counts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    runs = runs == null ? List.of() : List.copyOf(runs);
    files = files == null ? List.of() : List.copyOf(files);
  }
}
