package io.mschedule.master.task;

/** The states of a task. Transitions are defined in {@link TaskTransitions}, nowhere else. */
public enum TaskState {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  ABORTED,
  KILLED;

  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED || this == ABORTED || this == KILLED;
  }
}
