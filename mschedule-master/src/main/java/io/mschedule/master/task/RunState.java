package io.mschedule.master.task;

/** The states of one run (one task on one agent). Transitions live in {@link RunTransitions}. */
public enum RunState {
  WAITING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** The agent could not start the script (no interpreter, no work directory...); no code. */
  FAILED_TO_START,
  TIMED_OUT,
  KILLED,
  LOST,
  SKIPPED;

  public boolean isFinal() {
    return this != WAITING && this != RUNNING;
  }

  /** A failure counts against the task's fail_count / fail_rate. */
  public boolean isFailure() {
    return this == FAILED || this == FAILED_TO_START || this == TIMED_OUT || this == LOST;
  }
}
