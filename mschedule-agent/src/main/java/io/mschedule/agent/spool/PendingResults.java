package io.mschedule.agent.spool;

import io.mschedule.agent.runner.RunResult;
import io.mschedule.agent.runner.RunStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results waiting for the master's acknowledgement: in the {@link ResultSpool}, or, while the
 * spool cannot be written (a full disk), in memory.
 *
 * <p>A result that cannot be saved is not lost: it is kept in memory, marked as a failure with the
 * reason ({@code disk full: ...} in its error; an {@code exited} result becomes {@code
 * failed_to_start}, since the agent cannot vouch for it), handed out by {@link #pending()} to be
 * sent, and saved again on every later {@link #pending()} until that works or the master has
 * acknowledged it. Each task has one result from its first hand-over on, so the master records the
 * same result whichever copy arrives. Thread-safe.
 */
public final class PendingResults {

  private static final Logger log = LoggerFactory.getLogger(PendingResults.class);

  private final ResultSpool spool;
  private final Consumer<String> settled;
  private final Map<String, RunResult> unsaved = new LinkedHashMap<>(); // guarded by this

  /**
   * @param settled told the run ({@link RunResult#runKey}) once a result that could not be saved at
   *     first is safe (saved, or acknowledged by the master)
   */
  public PendingResults(ResultSpool spool, Consumer<String> settled) {
    this.spool = Objects.requireNonNull(spool, "spool");
    this.settled = Objects.requireNonNull(settled, "settled");
  }

  /**
   * Keeps a result until it is acknowledged.
   *
   * @return true when it is saved in the spool; false when it is held in memory (as a failure
   *     saying why) until the spool can be written
   */
  public synchronized boolean add(RunResult result) {
    try {
      spool.save(result);
      unsaved.remove(result.runKey());
      return true;
    } catch (IOException e) {
      RunResult failed = failed(result, "its result could not be saved on the agent's disk", e);
      log.error(
          "task {}: {}; keeping it in memory, reporting it as {} and trying to save it again",
          result.taskId(),
          failed.error(),
          failed.status().wireName());
      unsaved.put(result.runKey(), failed);
      return false;
    }
  }

  /**
   * The results to send, oldest first: those in the spool, then those only in memory. Tries first
   * to save those only in memory.
   */
  public synchronized List<RunResult> pending() {
    List<String> saved = new ArrayList<>();
    for (RunResult r : unsaved.values()) {
      try {
        spool.save(r);
        saved.add(r.runKey());
      } catch (IOException e) {
        log.debug("task {}: result still cannot be saved: {}", r.taskId(), e.toString());
        break; // the disk is still full: try again later
      }
    }
    saved.forEach(this::settle);
    List<RunResult> out = new ArrayList<>();
    try {
      out.addAll(spool.pending());
    } catch (IOException e) {
      log.warn("cannot read the result spool {}: {}", spool.dir(), e.toString());
    }
    out.addAll(unsaved.values());
    return out;
  }

  /** True when some result is held only in memory. */
  public synchronized boolean hasUnsaved() {
    return !unsaved.isEmpty();
  }

  /** True when a result of this run ({@link RunResult#runKey}) waits for acknowledgement. */
  public synchronized boolean contains(String runKey) {
    return unsaved.containsKey(runKey) || spool.contains(runKey);
  }

  /** The master has recorded the result of this run ({@link RunResult#runKey}): forget it. */
  public synchronized void acknowledged(String runKey) throws IOException {
    spool.remove(runKey);
    if (unsaved.containsKey(runKey)) {
      settle(runKey);
    }
  }

  private void settle(String runKey) {
    unsaved.remove(runKey);
    try {
      settled.accept(runKey);
    } catch (RuntimeException e) {
      log.warn("task {}: {}", runKey, e.getMessage());
    }
  }

  /**
   * The result as it is reported when the agent cannot keep it on disk: a failure, whose error says
   * what happened ({@code disk full: ...}) and how the run itself ended.
   */
  public static RunResult failed(RunResult result, String what, IOException why) {
    String ended =
        switch (result.status()) {
          case EXITED -> "the script exited with " + result.code();
          case FAILED_TO_START -> "the script failed to start: " + result.error();
          default ->
              "the run ended "
                  + result.status().wireName()
                  + (result.error() == null ? "" : " (" + result.error() + ")");
        };
    String error = DurableFiles.describe(why) + "; " + what + "; " + ended;
    RunStatus status =
        result.status() == RunStatus.EXITED ? RunStatus.FAILED_TO_START : result.status();
    return new RunResult(
        result.taskId(),
        status,
        status == RunStatus.FAILED_TO_START ? RunResult.NO_CODE : result.code(),
        result.output(),
        result.truncated(),
        result.outputBytes(),
        error,
        result.startedAtMillis(),
        result.finishedAtMillis(),
        result.streams(),
        result.attempt());
  }
}
