package io.mschedule.master.store;

import io.mschedule.master.task.TaskState;
import java.time.Instant;
import java.util.Set;

/**
 * Which tasks to list, newest first.
 *
 * @param states the states wanted; empty for any
 * @param since only tasks created at or after this instant; null for any
 * @param limit at most this many tasks
 */
public record TaskQuery(Set<TaskState> states, Instant since, int limit) {
  public TaskQuery {
    states = Set.copyOf(states);
  }

  /** The newest {@code limit} tasks. */
  public static TaskQuery recent(int limit) {
    return new TaskQuery(Set.of(), null, limit);
  }
}
