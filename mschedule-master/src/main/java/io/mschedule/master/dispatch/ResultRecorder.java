package io.mschedule.master.dispatch;

import io.mschedule.master.live.TaskEvents;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a run's outcome exactly once. Outcomes that arrive together are stored in one transaction
 * ({@link #recordAll}); the agent is acknowledged only after the outcome is in the database, so an
 * acknowledged result is never lost.
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

  /**
   * What became of one outcome: recorded (true), a duplicate (false), or refused with an error.
   *
   * @param error null unless the outcome could not be recorded
   */
  public record Recorded(boolean fresh, RuntimeException error) {
    static Recorded of(boolean fresh) {
      return new Recorded(fresh, null);
    }

    static Recorded failed(RuntimeException error) {
      return new Recorded(false, error);
    }
  }

  /** An outcome to write: the run as it is to be stored, and how it was found. */
  private record Write(int index, Run run, RunState expected, RunOutcome outcome, boolean late) {}

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
   *
   * @throws UnknownRunException when the run does not exist
   */
  public boolean record(RunOutcome o) {
    Recorded r = recordAll(List.of(o)).get(0);
    if (r.error() != null) {
      throw r.error();
    }
    return r.fresh();
  }

  /**
   * Records outcomes as {@link #record} does, all the writes in one transaction; one {@link
   * Recorded} per outcome, in order. When the transaction fails, every outcome that needed a write
   * gets its error and nothing of them is stored.
   */
  public List<Recorded> recordAll(List<RunOutcome> outcomes) {
    List<Recorded> out = new ArrayList<>(outcomes.size());
    List<Write> writes = new ArrayList<>();
    Set<String> planned = new HashSet<>();
    Instant now = clock.instant();
    for (int i = 0; i < outcomes.size(); i++) {
      RunOutcome o = outcomes.get(i);
      out.add(null);
      try {
        // a second outcome of the same run in one batch finds it ended by the first
        String run = o.taskId() + " " + o.agentId();
        Write w = planned.contains(run) ? null : plan(i, o, now);
        if (w == null) {
          out.set(i, Recorded.of(false));
        } else {
          writes.add(w);
          planned.add(run);
        }
      } catch (RuntimeException e) {
        out.set(i, Recorded.failed(e));
      }
    }
    if (writes.isEmpty()) {
      return out;
    }
    List<Boolean> won;
    try {
      won =
          store.completeRuns(
              writes.stream()
                  .map(
                      w -> new TaskStore.Completion(w.run(), w.expected(), w.outcome().runOutput()))
                  .toList());
    } catch (RuntimeException e) {
      writes.forEach(w -> out.set(w.index(), Recorded.failed(e)));
      return out;
    }
    for (int k = 0; k < writes.size(); k++) {
      Write w = writes.get(k);
      boolean fresh = won.get(k);
      out.set(w.index(), Recorded.of(fresh));
      if (fresh) {
        events.run(w.run(), w.outcome().runOutput());
        if (!w.late()) {
          coordinator.runFinished(w.run());
        }
      }
    }
    return out;
  }

  /** The write an outcome needs, or null when it is a duplicate that changes nothing. */
  private Write plan(int index, RunOutcome o, Instant now) {
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
      return null;
    }
    if (run.state() == RunState.LOST && !run.late()) {
      Run late = run.withLateResult(o.code(), o.truncated(), o.error());
      return new Write(index, late, RunState.LOST, o, true);
    }
    if (run.state() != RunState.RUNNING) {
      return null;
    }
    Run finished =
        run.moveTo(o.state(), o.code(), run.startedAt(), now)
            .withTruncated(o.truncated())
            .withError(o.error());
    return new Write(index, finished, RunState.RUNNING, o, false);
  }
}
