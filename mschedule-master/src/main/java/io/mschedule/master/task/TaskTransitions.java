package io.mschedule.master.task;

import static io.mschedule.master.task.TaskState.*;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The whole task state machine in one table. */
public final class TaskTransitions {
  private static final Map<TaskState, Set<TaskState>> ALLOWED = new EnumMap<>(TaskState.class);

  static {
    ALLOWED.put(PENDING, EnumSet.of(RUNNING, SUCCEEDED, FAILED, ABORTED, KILLED));
    ALLOWED.put(RUNNING, EnumSet.of(SUCCEEDED, FAILED, ABORTED, KILLED));
    ALLOWED.put(SUCCEEDED, EnumSet.noneOf(TaskState.class));
    ALLOWED.put(FAILED, EnumSet.noneOf(TaskState.class));
    ALLOWED.put(ABORTED, EnumSet.noneOf(TaskState.class));
    ALLOWED.put(KILLED, EnumSet.noneOf(TaskState.class));
  }

  private TaskTransitions() {}

  public static boolean allowed(TaskState from, TaskState to) {
    return ALLOWED.get(from).contains(to);
  }

  /** Throws {@link IllegalTransitionException} unless {@code from -> to} is in the table. */
  public static TaskState check(TaskState from, TaskState to) {
    if (!allowed(from, to)) {
      throw new IllegalTransitionException("task", from, to);
    }
    return to;
  }
}
