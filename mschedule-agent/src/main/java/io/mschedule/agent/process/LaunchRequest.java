package io.mschedule.agent.process;

import java.io.IOException;
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
 * @param gate awaited once the process waits at its gate, before the script is let go; when it
 *     throws, the process is ended without running the script and the launch fails with its message
 */
public record LaunchRequest(
    String taskId,
    byte[] script,
    Map<String, String> env,
    Path workDirRoot,
    Map<String, Path> files,
    Gate gate) {

  /** What a launch waits for before it lets the script go. */
  @FunctionalInterface
  public interface Gate {
    /** Lets the script go at once. */
    Gate OPEN = () -> {};

    void await() throws IOException, InterruptedException;
  }

  /** A request without files. */
  public LaunchRequest(String taskId, byte[] script, Map<String, String> env, Path workDirRoot) {
    this(taskId, script, env, workDirRoot, Map.of());
  }

  /** A request whose script goes as soon as it is started. */
  public LaunchRequest(
      String taskId,
      byte[] script,
      Map<String, String> env,
      Path workDirRoot,
      Map<String, Path> files) {
    this(taskId, script, env, workDirRoot, files, Gate.OPEN);
  }

  public LaunchRequest {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(script, "script");
    env = Map.copyOf(Objects.requireNonNull(env, "env"));
    Objects.requireNonNull(workDirRoot, "workDirRoot");
    files = files == null ? Map.of() : Map.copyOf(files);
    gate = gate == null ? Gate.OPEN : gate;
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
