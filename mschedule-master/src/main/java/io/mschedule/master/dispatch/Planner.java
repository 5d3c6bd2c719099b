package io.mschedule.master.dispatch;

import io.mschedule.master.task.FailureThreshold;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Every dispatch decision, as a pure function of a task's state, the agents' liveness and the time:
 * which waiting runs start within the parallel window, which runs are lost, which failed runs are
 * retried and when, whether the failure thresholds abort the task, what a kill does, when the task
 * ends. No threads, no database, no sockets: {@link TaskCoordinator} applies the returned actions.
 * The rules are those of {@code docs/tasks.md}.
 *
 * <p>A pass costs what changed, not the size of the task: counts per state answer the thresholds
 * and the end, a cursor skips runs that are no longer waiting, and the runs in flight are checked
 * for loss only when an agent went offline or once per {@link #SWEEP_EVERY}.
 */
public final class Planner {
  /** How often runs in flight are checked for overdue results and lost agents. */
  public static final Duration SWEEP_EVERY = Duration.ofSeconds(1);

  /** A report of running tasks this soon after a run started may predate the order's arrival. */
  static final Duration REPORT_SLACK = Duration.ofSeconds(2);

  private final Duration resultGrace;
  private final Duration linkWait;
  private final Duration killGrace;
  private final DoubleSupplier jitter;

  /**
   * @param resultGrace how long past its timeout a run may take to report before it is lost; also
   *     how long an online agent may go on not listing a run among its running tasks
   * @param linkWait how long a waiting run waits for an online agent's order link before it is lost
   * @param killGrace how long a run of a stopping task may take to confirm its kill before it is
   *     given up (lost), so a kill always ends the task
   */
  public Planner(Duration resultGrace, Duration linkWait, Duration killGrace) {
    this(resultGrace, linkWait, killGrace, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * @param jitter numbers in [0, 1) that spread the delays of retries (see {@link
   *     io.mschedule.master.task.RetryPolicy#delayAfter})
   */
  public Planner(
      Duration resultGrace, Duration linkWait, Duration killGrace, DoubleSupplier jitter) {
    this.resultGrace = resultGrace;
    this.linkWait = linkWait;
    this.killGrace = killGrace;
    this.jitter = jitter;
  }

  /** One pass over a task. */
  public Plan plan(ActiveTask t, Liveness live, Instant now) {
    Task task = t.task();
    List<Action> actions = new ArrayList<>();
    if (task.state().isFinal()) {
      return new Plan(actions, t.cursor(), false, t.nextSweep(), t.killsIssued());
    }
    // Attempts that will be retried count neither as failures nor as ended: only the last attempt
    // of a run counts. A stopping task retries nothing.
    int retrying = task.stopping() == null ? t.retryable().size() : 0;
    int failures = t.failures() - retrying;
    int finished = t.finished() - retrying;
    int inFlight = t.count(RunState.RUNNING);
    int lostToRetry = 0;

    // 1. runs in flight whose result will never come
    boolean sweep = t.livenessChanged() || !now.isBefore(t.nextSweep());
    Set<String> lost = new HashSet<>();
    if (sweep) {
      for (String agentId : t.running()) {
        Run r = t.run(agentId);
        String why = lostReason(t, r, live, now);
        if (why != null) {
          actions.add(new Action.Lose(r, why));
          lost.add(agentId);
          inFlight--;
          if (task.stopping() == null && t.task().retry().allowsAnother(r.attempt())) {
            lostToRetry++; // retried on the next pass
          } else {
            failures++;
            finished++;
          }
        } else {
          unreported(t, r, live, now, actions);
        }
      }
    }

    // 2. failure thresholds
    TaskState stopping = task.stopping();
    if (stopping == null) {
      String reason = FailureThreshold.check(task.failCount(), task.failRate(), failures, t.size());
      if (reason != null) {
        actions.add(new Action.Stop(TaskState.ABORTED, reason));
        stopping = TaskState.ABORTED;
        finished += retrying + lostToRetry; // no retry now: those attempts are the last
      }
    }

    // 3. a stopping task skips what waits and kills what runs; otherwise retries what failed and
    // hands out runs
    int cursor = t.cursor();
    boolean killsIssued = t.killsIssued();
    if (stopping != null) {
      for (String agentId : t.delayed()) {
        actions.add(new Action.Skip(t.run(agentId)));
        finished++;
      }
      for (int i = cursor; i < t.size(); i++) {
        Run r = t.runAt(i);
        if (r.state() == RunState.WAITING && r.retryAt() == null) {
          actions.add(new Action.Skip(r));
          finished++;
        }
      }
      cursor = t.size();
      if (!killsIssued) {
        for (String agentId : t.running()) {
          Run r = t.run(agentId);
          if (!t.killSent(agentId) && !lost.contains(agentId)) {
            actions.add(new Action.Kill(r));
          }
        }
        killsIssued = true;
      }
    } else {
      for (String agentId : t.retryable()) {
        Run r = t.run(agentId);
        actions.add(
            new Action.Retry(
                r, now.plus(task.retry().delayAfter(r.attempt(), jitter.getAsDouble()))));
      }
      int limit = task.parallel() == 0 ? Integer.MAX_VALUE : task.parallel();
      boolean begun = task.state() != TaskState.PENDING;
      for (String agentId : t.delayed()) {
        Run r = t.run(agentId);
        if (inFlight >= limit) {
          break;
        }
        if (now.isBefore(r.retryAt())) {
          continue;
        }
        Handout h = handOut(t, r, live, now, actions);
        if (h == Handout.STARTED) {
          if (!begun) { // a first attempt lost before the task began
            actions.add(actions.size() - 1, new Action.Begin());
            begun = true;
          }
          inFlight++;
        } else if (h == Handout.LOST && !task.retry().allowsAnother(r.attempt())) {
          finished++;
          failures++;
        }
      }
      for (int i = cursor; i < t.size() && inFlight < limit; i++) {
        Run r = t.runAt(i);
        if (r.state() != RunState.WAITING || r.retryAt() != null) {
          if (i == cursor) {
            cursor++;
          }
          continue;
        }
        Handout h = handOut(t, r, live, now, actions);
        if (h == Handout.WAITS) {
          continue;
        }
        if (h == Handout.STARTED) {
          if (!begun) {
            actions.add(actions.size() - 1, new Action.Begin());
            begun = true;
          }
          inFlight++;
        } else if (!task.retry().allowsAnother(r.attempt())) {
          finished++;
          failures++;
        }
        if (i == cursor) {
          cursor++;
        }
      }
    }

    // 4. the end
    if (finished == t.size()) {
      TaskState end;
      if (stopping != null) {
        end = stopping;
      } else {
        end = t.count(RunState.SUCCEEDED) == t.size() ? TaskState.SUCCEEDED : TaskState.FAILED;
      }
      actions.add(new Action.Finish(end));
    }
    Instant nextSweep = sweep ? now.plus(SWEEP_EVERY) : t.nextSweep();
    return new Plan(actions, cursor, sweep, nextSweep, killsIssued);
  }

  private enum Handout {
    STARTED,
    LOST,
    WAITS
  }

  /**
   * Hands a waiting run to its agent, or loses it when the agent is gone or has no link for too
   * long, or leaves it waiting for the link.
   */
  private Handout handOut(ActiveTask t, Run r, Liveness live, Instant now, List<Action> actions) {
    String agentId = r.agentId();
    if (live.linked(agentId)) {
      actions.add(new Action.Start(r));
      return Handout.STARTED;
    }
    Instant since = t.waitingForLinkSince(agentId);
    boolean gone = !live.online(agentId) && live.settled(now);
    if (gone || (since != null && now.isAfter(since.plus(linkWait)))) {
      actions.add(new Action.Lose(r, gone ? "agent offline" : "agent not connected"));
      return Handout.LOST;
    }
    if (since == null) {
      actions.add(new Action.AwaitLink(agentId, now));
    }
    return Handout.WAITS;
  }

  /**
   * An operator kills the task: it stops towards KILLED (an abort under way becomes a kill). Empty
   * when the task has ended or is already being killed.
   */
  public Optional<Action> kill(ActiveTask t, String by) {
    Task task = t.task();
    if (task.state().isFinal() || task.stopping() == TaskState.KILLED) {
      return Optional.empty();
    }
    return Optional.of(
        new Action.Stop(TaskState.KILLED, by == null ? "killed" : "killed by " + by));
  }

  /**
   * The agent (re)opened its order link: it is handed again the run it should be running, or asked
   * again to kill it when the task is stopping.
   */
  public Optional<Action> relink(ActiveTask t, String agentId) {
    Run r = t.run(agentId);
    if (r == null || r.state() != RunState.RUNNING) {
      return Optional.empty();
    }
    return Optional.of(t.task().stopping() != null ? new Action.Kill(r) : new Action.Resend(r));
  }

  /** Why a run in flight will never report, or null while it still may. */
  private String lostReason(ActiveTask t, Run r, Liveness live, Instant now) {
    Task task = t.task();
    if (!live.online(r.agentId()) && live.settled(now)) {
      return "agent offline";
    }
    if (task.timeoutSeconds() > 0
        && r.startedAt() != null
        && now.isAfter(r.startedAt().plusSeconds(task.timeoutSeconds()).plus(resultGrace))) {
      return "no result within the timeout and " + resultGrace.toSeconds() + " s of grace";
    }
    Instant killed = t.killSentAt(r.agentId());
    if (killed != null && now.isAfter(killed.plus(killGrace))) {
      return "the agent did not confirm the kill within " + killGrace.toSeconds() + " s";
    }
    Instant since = t.unreportedSince(r.agentId());
    if (since != null && now.isAfter(since.plus(resultGrace))) {
      return "the agent no longer reports this run (for " + resultGrace.toSeconds() + " s)";
    }
    return null;
  }

  /**
   * An online agent whose reports of running tasks no longer list the run: hand it the run again
   * (an agent ignores one it has finished; its result is then on the way) and note since when.
   */
  private static void unreported(
      ActiveTask t, Run r, Liveness live, Instant now, List<Action> actions) {
    if (r.startedAt() == null || !live.online(r.agentId())) {
      return;
    }
    boolean reported = live.mayBeRunning(r.agentId(), r.taskId(), r.startedAt().plus(REPORT_SLACK));
    Instant since = t.unreportedSince(r.agentId());
    if (!reported && since == null) {
      actions.add(new Action.Unreported(r.agentId(), now));
      if (t.task().stopping() == null) {
        actions.add(new Action.Resend(r));
      }
    } else if (reported && since != null) {
      actions.add(new Action.Unreported(r.agentId(), null));
    }
  }
}
