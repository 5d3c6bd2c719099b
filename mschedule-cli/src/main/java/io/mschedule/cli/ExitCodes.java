package io.mschedule.cli;

import io.mschedule.cli.client.TaskState;

/** The exit statuses of mschedule. */
public final class ExitCodes {
  /** Everything succeeded. */
  public static final int OK = 0;

  /** Usage errors, API errors, an unreachable master. */
  public static final int ERROR = 1;

  /** The task ended FAILED. */
  public static final int TASK_FAILED = 2;

  /** The task was ABORTED (fail_count / fail_rate reached). */
  public static final int TASK_ABORTED = 3;

  /** The task was KILLED. */
  public static final int TASK_KILLED = 4;

  private ExitCodes() {}

  /** The exit status for a task that ended in {@code state}. */
  public static int forTask(TaskState state) {
    if (state == null) {
      return ERROR;
    }
    return switch (state) {
      case SUCCEEDED -> OK;
      case FAILED -> TASK_FAILED;
      case ABORTED -> TASK_ABORTED;
      case KILLED -> TASK_KILLED;
      default -> ERROR;
    };
  }
}
