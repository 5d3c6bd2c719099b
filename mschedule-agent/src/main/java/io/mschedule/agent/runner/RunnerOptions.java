package io.mschedule.agent.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link RunManager}. Immutable and validated on construction: a bad value fails
 * with a message naming the option.
 *
 * @param maxOutputBytes how much output a run keeps for its result; beyond it the head and the last
 *     {@code outputTailBytes} are kept, with a marker line between them
 * @param outputTailBytes how much of the end of the output is kept when the output is too long (at
 *     most {@code maxOutputBytes} is used)
 * @param chunkBytes the largest output chunk handed to {@link RunListener#onOutput}; a chunk is
 *     sent as soon as this much output is pending
 * @param chunkInterval pending output is sent at the latest this long after it was produced; zero
 *     sends every read at once
 * @param killGrace how long a killed or timed-out run has between SIGTERM and SIGKILL
 * @param outputDrain how long to wait, once the script's main process has exited, for processes it
 *     left in the background to close the output; those still holding it then are stopped
 * @param workDirRoot where each run's temporary work directory is created
 * @param maxConcurrentRuns how many runs may be running at once; runs started beyond it wait in a
 *     queue and start in order as running ones end (this bounds the threads and processes the agent
 *     creates)
 * @param finishedIdsRemembered how many finished task ids are remembered to refuse a repeated start
 *     of the same task
 */
public record RunnerOptions(
    int maxOutputBytes,
    int outputTailBytes,
    int chunkBytes,
    Duration chunkInterval,
    Duration killGrace,
    Duration outputDrain,
    Path workDirRoot,
    int maxConcurrentRuns,
    int finishedIdsRemembered) {

  public static final int DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
  public static final int DEFAULT_OUTPUT_TAIL_BYTES = 64 * 1024;
  public static final int DEFAULT_CHUNK_BYTES = 64 * 1024;
  public static final Duration DEFAULT_CHUNK_INTERVAL = Duration.ofMillis(100);
  public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(2);
  public static final Duration DEFAULT_OUTPUT_DRAIN = Duration.ofSeconds(2);
  public static final int DEFAULT_MAX_CONCURRENT_RUNS = 64;
  public static final int DEFAULT_FINISHED_IDS_REMEMBERED = 10_000;

  /** Upper bound of {@code maxOutputBytes}: the kept output lives in memory. */
  public static final int MAX_OUTPUT_BYTES_LIMIT = 256 * 1024 * 1024;

  /** Upper bound of {@code chunkBytes}. */
  public static final int CHUNK_BYTES_LIMIT = 4 * 1024 * 1024;

  public RunnerOptions {
    between("maxOutputBytes", maxOutputBytes, 0, MAX_OUTPUT_BYTES_LIMIT);
    between("outputTailBytes", outputTailBytes, 0, MAX_OUTPUT_BYTES_LIMIT);
    between("chunkBytes", chunkBytes, 1, CHUNK_BYTES_LIMIT);
    notNegative("chunkInterval", chunkInterval);
    notNegative("killGrace", killGrace);
    notNegative("outputDrain", outputDrain);
    Objects.requireNonNull(workDirRoot, "workDirRoot must not be null");
    between("maxConcurrentRuns", maxConcurrentRuns, 1, Integer.MAX_VALUE);
    between("finishedIdsRemembered", finishedIdsRemembered, 0, Integer.MAX_VALUE);
  }

  /** The defaults, with work directories under {@code java.io.tmpdir}. */
  public static RunnerOptions defaults() {
    return new RunnerOptions(
        DEFAULT_MAX_OUTPUT_BYTES,
        DEFAULT_OUTPUT_TAIL_BYTES,
        DEFAULT_CHUNK_BYTES,
        DEFAULT_CHUNK_INTERVAL,
        DEFAULT_KILL_GRACE,
        DEFAULT_OUTPUT_DRAIN,
        Path.of(System.getProperty("java.io.tmpdir")),
        DEFAULT_MAX_CONCURRENT_RUNS,
        DEFAULT_FINISHED_IDS_REMEMBERED);
  }

  public RunnerOptions withMaxOutputBytes(int value) {
    return new RunnerOptions(
        value,
        outputTailBytes,
        chunkBytes,
        chunkInterval,
        killGrace,
        outputDrain,
        workDirRoot,
        maxConcurrentRuns,
        finishedIdsRemembered);
  }

  public RunnerOptions withOutputTailBytes(int value) {
    return new RunnerOptions(
        maxOutputBytes,
        value,
        chunkBytes,
        chunkInterval,
        killGrace,
        outputDrain,
        workDirRoot,
        maxConcurrentRuns,
        finishedIdsRemembered);
  }

  public RunnerOptions withChunkBytes(int value) {
    return new RunnerOptions(
        maxOutputBytes,
        outputTailBytes,
        value,
        chunkInterval,
        killGrace,
        outputDrain,
        workDirRoot,
        maxConcurrentRuns,
        finishedIdsRemembered);
  }

  public RunnerOptions withChunkInterval(Duration value) {
    return new RunnerOptions(
        maxOutputBytes,
        outputTailBytes,
        chunkBytes,
        value,
        killGrace,
        outputDrain,
        workDirRoot,
        maxConcurrentRuns,
        finishedIdsRemembered);
  }

  public RunnerOptions withKillGrace(Duration value) {
    return new RunnerOptions(
        maxOutputBytes,
        outputTailBytes,
        chunkBytes,
        chunkInterval,
        value,
        outputDrain,
        workDirRoot,
        maxConcurrentRuns,
        finishedIdsRemembered);
  }

  public RunnerOptions withOutputDrain(Duration value) {
    return new RunnerOptions(
        maxOutputBytes,
        outputTailBytes,
        chunkBytes,
        chunkInterval,
        killGrace,
        value,
        workDirRoot,
        maxConcurrentRuns,
        finishedIdsRemembered);
  }

  public RunnerOptions withWorkDirRoot(Path value) {
    return new RunnerOptions(
        maxOutputBytes,
        outputTailBytes,
        chunkBytes,
        chunkInterval,
        killGrace,
        outputDrain,
        value,
        maxConcurrentRuns,
        finishedIdsRemembered);
  }

  public RunnerOptions withMaxConcurrentRuns(int value) {
    return new RunnerOptions(
        maxOutputBytes,
        outputTailBytes,
        chunkBytes,
        chunkInterval,
        killGrace,
        outputDrain,
        workDirRoot,
        value,
        finishedIdsRemembered);
  }

  public RunnerOptions withFinishedIdsRemembered(int value) {
    return new RunnerOptions(
        maxOutputBytes,
        outputTailBytes,
        chunkBytes,
        chunkInterval,
        killGrace,
        outputDrain,
        workDirRoot,
        maxConcurrentRuns,
        value);
  }

  /** The tail actually kept: {@code outputTailBytes}, but no more than {@code maxOutputBytes}. */
  public int effectiveTailBytes() {
    return Math.min(outputTailBytes, maxOutputBytes);
  }

  private static void between(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          option + " must be between " + min + " and " + max + ", got " + value);
    }
  }

  private static void notNegative(String option, Duration value) {
    Objects.requireNonNull(value, option + " must not be null");
    if (value.isNegative()) {
      throw new IllegalArgumentException(option + " must not be negative, got " + value);
    }
  }
}
