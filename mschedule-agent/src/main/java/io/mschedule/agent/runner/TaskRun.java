package io.mschedule.agent.runner;

import io.mschedule.agent.files.FileCancelledException;
import io.mschedule.agent.files.FileReceiver;
import io.mschedule.agent.process.LaunchException;
import io.mschedule.agent.process.LaunchRequest;
import io.mschedule.agent.process.LaunchedProcess;
import io.mschedule.agent.process.ProcessLauncher;
import io.mschedule.protocol.message.FileOrder;
import io.mschedule.protocol.message.StdStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run, on its own thread: launch, stream the output, wait for the end, a stop request or the
 * timeout, stop the process tree if needed (TERM, grace, KILL), then hand over the result.
 *
 * <p>Output is read by two more threads per run (stdout and stderr), the only ones that block on
 * the process. Both hand what they read to the capture and the chunker under one lock, so both see
 * the streams interleaved in the same order: the order in which the reads returned.
 */
final class TaskRun implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(TaskRun.class);

  /** How long to wait for the main process once SIGKILL was sent. */
  static final Duration AFTER_KILL_WAIT = Duration.ofSeconds(5);

  /**
   * How long to wait for the output to end once the whole tree had SIGKILL; then the run ends
   * without the rest of its output (the output is closed when the run ends).
   */
  static final Duration OUTPUT_WAIT_AFTER_KILL = Duration.ofSeconds(1);

  /**
   * How long the output may still take to end once nothing of the run is alive: its end is in the
   * pipe, only the agent's readers are behind (a machine so loaded that they were not scheduled
   * within the output drain). Then the run's output is read to its end, not cut off.
   */
  static final Duration READERS_BEHIND = Duration.ofSeconds(60);

  /** Why a run is being stopped. */
  enum StopReason {
    KILL("killed on request"),
    TIMEOUT("timed out"),
    SHUTDOWN("killed because the agent shut down");

    final String text;

    StopReason(String text) {
      this.text = text;
    }
  }

  private final RunSpec spec;
  private final RunListener listener;
  private final RunnerOptions options;
  private final ProcessLauncher launcher;
  private final Clock clock;
  private final FileReceiver files;
  private final BiConsumer<TaskRun, RunResult> onDone;
  private final OutputCapture capture;
  private final OutputChunker chunker;
  private final CountDownLatch outputEnded = new CountDownLatch(2);
  private final Object outputLock = new Object();
  private final long tickNanos;

  private volatile StopReason stopRequested;
  private volatile boolean started;

  TaskRun(
      RunSpec spec,
      RunListener listener,
      RunnerOptions options,
      ProcessLauncher launcher,
      Clock clock,
      FileReceiver files,
      BiConsumer<TaskRun, RunResult> onDone) {
    this.files = files;
    this.spec = spec;
    this.listener = listener;
    this.options = options;
    this.launcher = launcher;
    this.clock = clock;
    this.onDone = onDone;
    this.capture = new OutputCapture(options.maxOutputBytes(), options.effectiveTailBytes());
    this.chunker =
        new OutputChunker(
            spec.taskId(), listener, options.chunkBytes(), options.chunkInterval().toNanos());
    long half = options.chunkInterval().toNanos() / 2;
    this.tickNanos =
        Math.max(
            TimeUnit.MILLISECONDS.toNanos(10), Math.min(half, TimeUnit.MILLISECONDS.toNanos(100)));
  }

  String taskId() {
    return spec.taskId();
  }

  /** The name of this attempt of the run (see {@link RunKeys}). */
  String key() {
    return spec.runKey();
  }

  int attempt() {
    return spec.attempt();
  }

  RunListener listener() {
    return listener;
  }

  /** True when the run was asked to stop before it started, so running it only reports that. */
  boolean stopsBeforeStart() {
    return stopRequested != null && !started;
  }

  /** Asks the run to stop; the first reason given wins. */
  void requestStop(StopReason reason) {
    synchronized (this) {
      if (stopRequested == null) {
        stopRequested = reason;
      }
    }
  }

  @Override
  public void run() {
    synchronized (this) {
      if (started) {
        return;
      }
      started = true;
    }
    long startedAt = clock.millis();
    RunResult result;
    try {
      result = execute(startedAt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result = stoppedWithoutProcess(startedAt, "the run was interrupted");
    } catch (RuntimeException | Error e) {
      log.error("task {}: the run failed inside the agent", spec.taskId(), e);
      result = stoppedWithoutProcess(startedAt, "the agent failed while running the script: " + e);
    }
    onDone.accept(this, result);
  }

  private RunResult execute(long startedAt) throws InterruptedException {
    runStartedAt = startedAt;
    StopReason early = stopRequested;
    if (early != null) {
      return new RunResult(
          spec.taskId(),
          status(early),
          RunResult.NO_CODE,
          new byte[0],
          false,
          0,
          early.text,
          startedAt,
          clock.millis());
    }
    if (spec.copy()) {
      try {
        listener.beforeScript();
      } catch (IOException e) {
        return RunResult.failedToStart(spec.taskId(), e.getMessage(), startedAt, clock.millis());
      }
      return new CopyStep(spec, files, clock, this::pendingStop).run(startedAt, capture, chunker);
    }
    Map<String, Path> staged = new LinkedHashMap<>();
    try {
      for (FileOrder f : spec.files()) {
        staged.put(
            f.dest(),
            files.fetchInto(
                spec.taskId(),
                f,
                options.workDirRoot(),
                "mschedule-file-",
                () -> pendingStop() != null));
      }
    } catch (FileCancelledException e) {
      deleteAll(staged);
      StopReason reason = pendingStop();
      return new RunResult(
          spec.taskId(),
          status(reason),
          RunResult.NO_CODE,
          new byte[0],
          false,
          0,
          describe(reason) + " while fetching its files",
          startedAt,
          clock.millis());
    } catch (IOException e) {
      deleteAll(staged);
      log.info("task {}: cannot fetch its files: {}", spec.taskId(), e.getMessage());
      return RunResult.failedToStart(
          spec.taskId(),
          "cannot fetch file " + spec.files().get(staged.size()).dest() + ": " + e.getMessage(),
          startedAt,
          clock.millis());
    }
    LaunchedProcess process;
    try {
      process =
          launcher.launch(
              new LaunchRequest(
                  spec.taskId(),
                  spec.script(),
                  spec.env(),
                  options.workDirRoot(),
                  staged,
                  listener::beforeScript));
    } catch (LaunchException e) {
      log.info("task {}: failed to start: {}", spec.taskId(), e.getMessage());
      return RunResult.failedToStart(spec.taskId(), e.getMessage(), startedAt, clock.millis());
    } catch (RuntimeException e) {
      log.warn("task {}: failed to start", spec.taskId(), e);
      return RunResult.failedToStart(
          spec.taskId(), "cannot start the script: " + e, startedAt, clock.millis());
    } finally {
      deleteAll(staged); // moved into the work directory by now, unless the launch failed
    }
    try {
      return supervise(process, startedAt);
    } catch (InterruptedException | RuntimeException | Error e) {
      process.forceKill();
      throw e;
    } finally {
      process.close();
    }
  }

  private RunResult supervise(LaunchedProcess process, long startedAt) throws InterruptedException {
    Thread reader =
        new Thread(
            () -> pump(process.output(), StdStream.STDOUT), "mschedule-output-" + spec.taskId());
    reader.setDaemon(true);
    reader.start();
    Thread errorReader =
        new Thread(
            () -> pump(process.errorOutput(), StdStream.STDERR),
            "mschedule-stderr-" + spec.taskId());
    errorReader.setDaemon(true);
    errorReader.start();

    // the timeout runs on the agent's clock, from the run's start
    Instant deadline = Instant.ofEpochMilli(startedAt).plus(spec.timeout());
    StopReason reason = null;
    while (!process.waitFor(Duration.ofNanos(tickNanos))) {
      chunker.flushIfDue();
      reason = stopRequested;
      if (reason == null && spec.hasTimeout() && !clock.instant().isBefore(deadline)) {
        reason = StopReason.TIMEOUT;
      }
      if (reason != null) {
        break;
      }
    }
    if (reason != null) {
      log.info("task {}: {}, stopping its processes", spec.taskId(), describe(reason));
      stop(process);
    }
    long finishedAt = clock.millis();
    String error = reason == null ? null : describe(reason);

    if (reason != null) {
      // The whole tree has had SIGTERM and SIGKILL: do not wait long for whatever still holds the
      // output (a process outside the run's reach), end the run without the rest of it.
      awaitOutputOrGiveUp();
    } else if (!awaitOutputEnd(options.outputDrain())
        && (process.othersAlive() || !awaitOutputEnd(READERS_BEHIND))) {
      // Processes started in the background still hold the output open: stop them too, or the
      // run would never end.
      log.info(
          "task {}: output still open {} after the script ended; stopping what is left of it",
          spec.taskId(),
          options.outputDrain());
      error =
          "processes the script left in the background kept its output open; they were stopped "
              + format(options.outputDrain())
              + " after the script exited";
      process.terminate();
      awaitOutputEnd(options.killGrace());
      process.forceKill();
      awaitOutputOrGiveUp();
    }
    capture.seal();
    chunker.close();

    int code = process.isAlive() ? RunResult.NO_CODE : process.exitCode();
    RunStatus status = reason == null ? RunStatus.EXITED : status(reason);
    return new RunResult(
        spec.taskId(),
        status,
        code,
        capture.kept(),
        capture.truncated(),
        capture.totalBytes(),
        error,
        startedAt,
        finishedAt,
        capture.keptStreams(),
        spec.attempt());
  }

  /** TERM to the whole tree, until everything is quiet or the grace has passed, then KILL. */
  private void stop(LaunchedProcess process) throws InterruptedException {
    process.terminate();
    long graceEnd = System.nanoTime() + options.killGrace().toNanos();
    while (true) {
      long left = graceEnd - System.nanoTime();
      if (left <= 0) {
        break;
      }
      long wait = Math.min(left, tickNanos);
      if (process.isAlive()) {
        process.waitFor(Duration.ofNanos(wait));
      } else if (outputEnded.await(wait, TimeUnit.NANOSECONDS)) {
        break; // the main process is gone and nothing holds the output any more
      }
      chunker.flushIfDue();
    }
    // Also when the main process ended on TERM: whatever it left behind that ignored TERM goes now.
    process.forceKill();
    long killEnd = System.nanoTime() + AFTER_KILL_WAIT.toNanos();
    while (process.isAlive()) {
      long left = killEnd - System.nanoTime();
      if (left <= 0) {
        log.error("task {}: the script's main process survived SIGKILL", spec.taskId());
        break;
      }
      process.waitFor(Duration.ofNanos(Math.min(left, tickNanos)));
      chunker.flushIfDue();
    }
  }

  private void awaitOutputOrGiveUp() throws InterruptedException {
    if (!awaitOutputEnd(OUTPUT_WAIT_AFTER_KILL)) {
      log.warn(
          "task {}: output still open {} after SIGKILL (a process outside the run holds it);"
              + " reporting without the rest",
          spec.taskId(),
          format(OUTPUT_WAIT_AFTER_KILL));
    }
  }

  private boolean awaitOutputEnd(Duration max) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (true) {
      long left = end - System.nanoTime();
      if (outputEnded.await(Math.max(0, Math.min(left, tickNanos)), TimeUnit.NANOSECONDS)) {
        return true;
      }
      chunker.flushIfDue();
      if (left <= 0) {
        return false;
      }
    }
  }

  /** Copies one output stream into the capture and the chunker until it ends. */
  private void pump(InputStream output, StdStream stream) {
    byte[] buffer = new byte[Math.max(8 * 1024, Math.min(options.chunkBytes(), 64 * 1024))];
    try {
      int n;
      while ((n = output.read(buffer)) >= 0) {
        if (n > 0) {
          synchronized (outputLock) {
            capture.append(stream, buffer, 0, n);
            chunker.append(stream, buffer, 0, n);
          }
        }
      }
    } catch (IOException e) {
      log.debug("task {}: output ended with {}", spec.taskId(), e.toString());
    } catch (RuntimeException e) {
      log.warn("task {}: reading the output failed", spec.taskId(), e);
    } finally {
      outputEnded.countDown();
    }
  }

  /** Why the run should stop now (a request, or its timeout), or null. */
  private StopReason pendingStop() {
    StopReason reason = stopRequested;
    if (reason == null
        && spec.hasTimeout()
        && clock.millis() - runStartedAt >= spec.timeout().toMillis()) {
      reason = StopReason.TIMEOUT;
    }
    return reason;
  }

  private volatile long runStartedAt;

  private static void deleteAll(Map<String, Path> staged) {
    for (Path p : staged.values()) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        log.warn("cannot remove {}: {}", p, e.toString());
      }
    }
  }

  private RunResult stoppedWithoutProcess(long startedAt, String error) {
    capture.seal();
    chunker.close();
    return new RunResult(
        spec.taskId(),
        RunStatus.KILLED,
        RunResult.NO_CODE,
        capture.kept(),
        capture.truncated(),
        capture.totalBytes(),
        error,
        startedAt,
        clock.millis(),
        capture.keptStreams(),
        spec.attempt());
  }

  private String describe(StopReason reason) {
    return reason == StopReason.TIMEOUT ? "timed out after " + format(spec.timeout()) : reason.text;
  }

  private static RunStatus status(StopReason reason) {
    return reason == StopReason.TIMEOUT ? RunStatus.TIMED_OUT : RunStatus.KILLED;
  }

  /** A duration as people write it: {@code 2s}, {@code 1500ms}, {@code 1m30s}. */
  static String format(Duration d) {
    if (d.toMillisPart() != 0 || d.isZero()) {
      return d.toMillis() + "ms";
    }
    long seconds = d.getSeconds();
    if (seconds < 60) {
      return seconds + "s";
    }
    return seconds / 60 + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s");
  }
}
