package io.mschedule.master.store;

import io.mschedule.master.task.TaskState;
import java.time.Instant;
import java.util.Set;

/**
 * Which tasks to list, newest first.
 *
 * @param states the states wanted; empty for any
 * @param since only tasks created at or after this instant; null for any
 * @param until only tasks created before this instant; null for any
 * @param createdBy only tasks submitted by this token name; null for any
 * @param target only tasks with a target containing this text; null for any
 * @param job only tasks that ran a version of this job; null for any
 * @param schedule only tasks created by this schedule; null for any
 * @param limit at most this many tasks
 */
public record TaskQuery(
    Set<TaskState> states,
    Instant since,
    Instant until,
    String createdBy,
    String target,
    String job,
    String schedule,
    int limit) {
  public TaskQuery {
    states = Set.copyOf(states);
  }

  /** States and a creation time only. */
  public TaskQuery(Set<TaskState> states, Instant since, int limit) {
    this(states, since, null, null, null, null, null, limit);
  }

  /** The newest {@code limit} tasks. */
  public static TaskQuery recent(int limit) {
    return new TaskQuery(Set.of(), null, limit);
  }
}
