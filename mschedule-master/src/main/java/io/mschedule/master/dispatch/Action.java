package io.mschedule.master.dispatch;

import io.mschedule.master.task.Run;
import io.mschedule.master.task.TaskState;
import java.time.Instant;

/** One step the planner decided; the coordinator carries it out. */
public sealed interface Action {
  /** The task's first run starts: the task moves from PENDING to RUNNING. */
  record Begin() implements Action {}

  /** Hand a waiting run to its agent (it becomes RUNNING). */
  record Start(Run run) implements Action {}

  /** Hand a running run to its agent again (it reconnected). No state change. */
  record Resend(Run run) implements Action {}

  /** Ask the agent to kill a running run. */
  record Kill(Run run) implements Action {}

  /** A waiting run's agent has no link yet: remember since when it waits. */
  record AwaitLink(String agentId, Instant since) implements Action {}

  /**
   * The run's agent no longer lists it among its running tasks since {@code since} (null: it does
   * again). The run is handed to the agent again, and lost if that goes on past the result grace.
   */
  record Unreported(String agentId, Instant since) implements Action {}

  /** The run will never report: it ends LOST with {@code why}. */
  record Lose(Run run, String why) implements Action {}

  /**
   * The run's attempt failed, timed out or was lost and the task retries it: its next attempt waits
   * (WAITING) until {@code at}, the earlier one is kept among the run's attempts.
   */
  record Retry(Run run, Instant at) implements Action {}

  /** A waiting run of a stopping task ends SKIPPED without starting. */
  record Skip(Run run) implements Action {}

  /** The task stops (no new runs; runs in flight killed) and ends in {@code end}. */
  record Stop(TaskState end, String reason) implements Action {}

  /** Every run is final: the task ends in {@code end}. */
  record Finish(TaskState end) implements Action {}
}
