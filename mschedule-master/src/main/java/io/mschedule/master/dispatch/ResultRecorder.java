package io.mschedule.master.dispatch;

import io.mschedule.master.live.TaskEvents;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.protocol.message.OutputLimit;
import io.mschedule.protocol.message.Result;
import java.time.Clock;
import java.time.Instant;

/**
 * Stores a run's result exactly once. Runs on the RPC worker threads; the agent is acknowledged
 * only after the result is in the database, so an acknowledged result is never lost.
 */
public final class ResultRecorder {
  private final TaskStore store;
  private final TaskEvents events;
  private final TaskCoordinator coordinator;
  private final Clock clock;
  private final int maxOutputBytes;

  /** The run named by a result does not exist. */
  public static final class UnknownRunException extends RuntimeException {
    public UnknownRunException(String message) {
      super(message);
    }
  }

  public ResultRecorder(
      TaskStore store,
      TaskEvents events,
      TaskCoordinator coordinator,
      Clock clock,
      int maxOutputBytes) {
    this.store = store;
    this.events = events;
    this.coordinator = coordinator;
    this.clock = clock;
    this.maxOutputBytes = maxOutputBytes;
  }

  /** Records the result; returns false when it was recorded before (a duplicate). */
  public boolean record(Result r) {
    Run run =
        store
            .findRun(r.id(), r.agentId())
            .orElseThrow(
                () ->
                    new UnknownRunException(
                        "no run of task " + r.id() + " on agent " + r.agentId()));
    if (run.state() != RunState.RUNNING) {
      return false;
    }
    byte[] output = OutputLimit.apply(r.output(), maxOutputBytes);
    boolean truncated = r.truncated() || output.length != r.output().length;
    Instant now = clock.instant();
    Run finished =
        run.moveTo(stateOf(r), r.code() < 0 ? null : r.code(), run.startedAt(), now)
            .withTruncated(truncated);
    if (!store.completeRun(finished, RunState.RUNNING, output)) {
      return false;
    }
    events.run(finished, output);
    coordinator.runFinished(finished);
    return true;
  }

  static RunState stateOf(Result r) {
    return switch (r.status()) {
      case Result.EXITED -> r.code() == 0 ? RunState.SUCCEEDED : RunState.FAILED;
      case Result.TIMED_OUT -> RunState.TIMED_OUT;
      case Result.KILLED -> RunState.KILLED;
      case Result.FAILED_TO_START -> RunState.FAILED;
      case Result.LOST -> RunState.LOST;
      default ->
          throw new IllegalArgumentException(
              "result.payload.status: unknown status '" + r.status() + "'");
    };
  }
}
