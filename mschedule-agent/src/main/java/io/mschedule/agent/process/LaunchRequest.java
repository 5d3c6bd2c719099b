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
 * @param files files to move into the work directory before the script starts: name in the work
 *     directory to where the file is now (on the file system of {@code workDirRoot})
 */
public record LaunchRequest(
    String taskId,
    byte[] script,
    Map<String, String> env,
    Path workDirRoot,
    Map<String, Path> files) {

  /** A request without files. */
  public LaunchRequest(String taskId, byte[] script, Map<String, String> env, Path workDirRoot) {
    this(taskId, script, env, workDirRoot, Map.of());
  }

  public LaunchRequest {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(script, "script");
    env = Map.copyOf(Objects.requireNonNull(env, "env"));
    Objects.requireNonNull(workDirRoot, "workDirRoot");
    files = files == null ? Map.of() : Map.copyOf(files);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LaunchRequest other
        && taskId.equals(other.taskId)
        && Arrays.equals(script, other.script)
        && env.equals(other.env)
        && workDirRoot.equals(other.workDirRoot)
        && files.equals(other.files);
  }

  @Override
  public int hashCode() {
    return Objects.hash(taskId, Arrays.hashCode(script), env, workDirRoot, files);
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
        + (files.isEmpty() ? "" : ", files=" + files.keySet())
        + "]";
  }
}
