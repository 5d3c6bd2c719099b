package io.mschedule.agent.process;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * What to start.
 *
 * @param taskId the task id, for names and log lines
 * @param script the script bytes; run with {@code /bin/sh} unless they start with {@code #!}
 * @param env variables added to the inherited environment
 * @param workDirRoot where the run's fresh temporary work directory is created
 */
public record LaunchRequest(
    String taskId, byte[] script, Map<String, String> env, Path workDirRoot) {

  public LaunchRequest {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(script, "script");
    env = Map.copyOf(Objects.requireNonNull(env, "env"));
    Objects.requireNonNull(workDirRoot, "workDirRoot");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LaunchRequest other
        && taskId.equals(other.taskId)
        && Arrays.equals(script, other.script)
        && env.equals(other.env)
        && workDirRoot.equals(other.workDirRoot);
  }

  @Override
  public int hashCode() {
    return Objects.hash(taskId, Arrays.hashCode(script), env, workDirRoot);
  }

  @Override
  public String toString() {
    return "LaunchRequest[taskId="
        + taskId
        + ", script="
        + script.length
        + " bytes, env="
        + env.keySet()
        + ", workDirRoot="
        + workDirRoot
        + "]";
  }
}
