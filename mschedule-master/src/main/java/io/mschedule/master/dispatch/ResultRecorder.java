package io.mschedule.master.dispatch;

import io.mschedule.master.live.TaskEvents;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a run's outcome exactly once. Runs on the gateway's threads; the agent is acknowledged
 * only after the outcome is in the database, so an acknowledged result is never lost.
 */
public final class ResultRecorder {
  private static final Logger log = LoggerFactory.getLogger(ResultRecorder.class);
  private final TaskStore store;
  private final TaskEvents events;
  private final TaskCoordinator coordinator;
  private final Clock clock;

  /** The run named by a result does not exist. */
  public static final class UnknownRunException extends RuntimeException {
    public UnknownRunException(String message) {
      super(message);
    }
  }

  public ResultRecorder(
      TaskStore store, TaskEvents events, TaskCoordinator coordinator, Clock clock) {
    this.store = store;
    this.events = events;
    this.coordinator = coordinator;
    this.clock = clock;
  }

  /**
   * Records the outcome; returns false when the run had already ended (a duplicate). A result for a
   * run the master had declared LOST (its agent was silent, then came back) is kept on the run as a
   * late result; the run's state and the task's decision stand. A result of an attempt other than
   * the run's current one (an earlier attempt the master had given up on) is acknowledged as a
   * duplicate and changes nothing.
   */
  public boolean record(RunOutcome o) {
    Run run =
        store
            .findRun(o.taskId(), o.agentId())
            .orElseThrow(
                () ->
                    new UnknownRunException(
                        "no run of task " + o.taskId() + " on agent " + o.agentId()));
    if (o.attempt() != run.attempt()) {
      log.info(
          "task {}: result of attempt {} on {} ignored, the run is at attempt {}",
          o.taskId(),
          o.attempt(),
          o.agentId(),
          run.attempt());
      return false;
    }
    if (run.state() == RunState.LOST && !run.late()) {
      return recordLate(run, o);
    }
    if (run.state() != RunState.RUNNING) {
      return false;
    }
    Instant now = clock.instant();
    Run finished =
        run.moveTo(o.state(), o.code(), run.startedAt(), now)
            .withTruncated(o.truncated())
            .withError(o.error());
    if (!store.completeRun(finished, RunState.RUNNING, o.runOutput())) {
      return false;
    }
    events.run(finished, o.runOutput());
    coordinator.runFinished(finished);
    return true;
  }

  private boolean recordLate(Run lost, RunOutcome o) {
    Run late = lost.withLateResult(o.code(), o.truncated(), o.error());
    if (!store.completeRun(late, RunState.LOST, o.runOutput())) {
      return false;
    }
    events.run(late, o.runOutput());
    return true;
  }
}
