package io.mschedule.agent.runner;

import io.mschedule.protocol.message.OutputStreams;
import java.util.Arrays;
import java.util.Objects;

/**
 * The outcome of one run, reported once.
 *
 * @param taskId the task id
 * @param status how the run ended
 * @param code the exit code for {@link RunStatus#EXITED}; for {@link RunStatus#TIMED_OUT} and
 *     {@link RunStatus#KILLED} the code the process died with (128 + signal, e.g. 143 or 137), or
 *     -1 when it is unknown; always -1 for {@link RunStatus#FAILED_TO_START}
 * @param output the kept output, stdout and stderr interleaved as produced; when {@code truncated}
 *     it is the head and the tail of the output with a marker line between them
 * @param truncated true when some output was left out of {@code output}
 * @param outputBytes how many bytes the script wrote in total
 * @param error why the run failed to start, timed out or was killed; null for a plain exit
 * @param startedAtMillis epoch milliseconds (agent clock) when the run started
 * @param finishedAtMillis epoch milliseconds (agent clock) when the run ended
 * @param streams which bytes of {@code output} came from stdout and which from stderr
 * @param attempt which attempt of the task's run ended, from 1 (see {@link RunKeys})
 */
public record RunResult(
    String taskId,
    RunStatus status,
    int code,
    byte[] output,
    boolean truncated,
    long outputBytes,
    String error,
    long startedAtMillis,
    long finishedAtMillis,
    OutputStreams streams,
    int attempt) {

  /** The {@code code} used when there is none. */
  public static final int NO_CODE = -1;

  public RunResult {
    streams = streams == null ? OutputStreams.ALL_STDOUT : streams;
    streams.check(output == null ? 0 : output.length);
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(output, "output");
    if (outputBytes < 0) {
      throw new IllegalArgumentException("outputBytes must not be negative, got " + outputBytes);
    }
    if (status == RunStatus.FAILED_TO_START && code != NO_CODE) {
      throw new IllegalArgumentException("a run that failed to start has no exit code");
    }
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
    }
  }

  /** The result of a first attempt whose output is all stdout. */
  public RunResult(
      String taskId,
      RunStatus status,
      int code,
      byte[] output,
      boolean truncated,
      long outputBytes,
      String error,
      long startedAtMillis,
      long finishedAtMillis) {
    this(
        taskId,
        status,
        code,
        output,
        truncated,
        outputBytes,
        error,
        startedAtMillis,
        finishedAtMillis,
        OutputStreams.ALL_STDOUT,
        1);
  }

  /** The name of the attempt this result ends (see {@link RunKeys}). */
  public String runKey() {
    return RunKeys.of(taskId, attempt);
  }

  /** This result as the end of attempt {@code n}. */
  public RunResult withAttempt(int n) {
    return n == attempt
        ? this
        : new RunResult(
            taskId,
            status,
            code,
            output,
            truncated,
            outputBytes,
            error,
            startedAtMillis,
            finishedAtMillis,
            streams,
            n);
  }

  /** A result for a script that could not be started. */
  public static RunResult failedToStart(
      String taskId, String error, long startedAtMillis, long finishedAtMillis) {
    return new RunResult(
        taskId,
        RunStatus.FAILED_TO_START,
        NO_CODE,
        new byte[0],
        false,
        0,
        error,
        startedAtMillis,
        finishedAtMillis);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunResult other
        && taskId.equals(other.taskId)
        && status == other.status
        && code == other.code
        && Arrays.equals(output, other.output)
        && truncated == other.truncated
        && outputBytes == other.outputBytes
        && Objects.equals(error, other.error)
        && startedAtMillis == other.startedAtMillis
        && finishedAtMillis == other.finishedAtMillis
        && streams.equals(other.streams)
        && attempt == other.attempt;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        taskId,
        status,
        code,
        Arrays.hashCode(output),
        truncated,
        outputBytes,
        error,
        startedAtMillis,
        finishedAtMillis,
        streams,
        attempt);
  }

  @Override
  public String toString() {
    return "RunResult[taskId="
        + taskId
        + (attempt == 1 ? "" : ", attempt=" + attempt)
        + ", status="
        + status
        + ", code="
        + code
        + ", output="
        + output.length
        + " bytes"
        + (streams.allStdout() ? "" : " " + streams)
        + (truncated ? " (truncated, " + outputBytes + " written)" : "")
        + (error == null ? "" : ", error=" + error)
        + ", startedAt="
        + startedAtMillis
        + ", finishedAt="
        + finishedAtMillis
        + "]";
  }
}
