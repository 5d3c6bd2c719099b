package io.mschedule.agent.runner;

import io.mschedule.protocol.message.FileOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One script to run.
 *
 * @param taskId the task id; with the agent id it names the run
 * @param script the script bytes, run with {@code /bin/sh} unless they start with {@code #!}
 * @param timeout how long the script may run; {@link Duration#ZERO} means no limit
 * @param env variables added to the agent's own environment for the script (the caller passes
 *     {@code MSCHEDULE_TASK_ID}, {@code MSCHEDULE_AGENT_ID} and {@code MSCHEDULE_HOSTNAME} here)
 * @param files files fetched before the run: put in its work directory, or, for a {@code copy} run,
 *     at their absolute destinations
 * @param copy true when the run only puts {@code files} in place and runs no script
 * @param attempt which attempt of the task's run this is, from 1 (see {@link RunKeys})
 */
public record RunSpec(
    String taskId,
    byte[] script,
    Duration timeout,
    Map<String, String> env,
    List<FileOrder> files,
    boolean copy,
    int attempt) {

  public RunSpec {
    Objects.requireNonNull(taskId, "taskId");
    if (taskId.isBlank()) {
      throw new IllegalArgumentException("taskId must not be blank");
    }
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
    }
    env = Map.copyOf(Objects.requireNonNull(env, "env"));
    files = files == null ? List.of() : List.copyOf(files);
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
    }
  }

  /** A first attempt without files. */
  public RunSpec(String taskId, byte[] script, Duration timeout, Map<String, String> env) {
    this(taskId, script, timeout, env, List.of(), false, 1);
  }

  /** The name of this attempt of the run (see {@link RunKeys}). */
  public String runKey() {
    return RunKeys.of(taskId, attempt);
  }

  /** A spec without timeout or extra environment. */
  public static RunSpec of(String taskId, String script) {
    return new RunSpec(taskId, script.getBytes(StandardCharsets.UTF_8), Duration.ZERO, Map.of());
  }

  /** This spec with another timeout. */
  public RunSpec withTimeout(Duration newTimeout) {
    return new RunSpec(taskId, script, newTimeout, env, files, copy, attempt);
  }

  /** This spec with another extra environment. */
  public RunSpec withEnv(Map<String, String> newEnv) {
    return new RunSpec(taskId, script, timeout, newEnv, files, copy, attempt);
  }

  /** True when the run has a timeout. */
  public boolean hasTimeout() {
    return !timeout.isZero();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunSpec other
        && taskId.equals(other.taskId)
        && Arrays.equals(script, other.script)
        && timeout.equals(other.timeout)
        && env.equals(other.env)
        && files.equals(other.files)
        && copy == other.copy
        && attempt == other.attempt;
  }

  @Override
  public int hashCode() {
    return Objects.hash(taskId, Arrays.hashCode(script), timeout, env, files, copy, attempt);
  }

  @Override
  public String toString() {
    return "RunSpec[taskId="
        + taskId
        + ", script="
        + script.length
        + " bytes, timeout="
        + timeout
        + ", env="
        + env.keySet()
        + (files.isEmpty() ? "" : ", files=" + files.size())
        + (copy ? ", copy" : "")
        + (attempt == 1 ? "" : ", attempt=" + attempt)
        + "]";
  }
}
