package io.mschedule.cli.client;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Task states as the API reports them; {@link #UNKNOWN} stands for any newer state. */
public enum TaskState {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  ABORTED,
  KILLED,
  @JsonEnumDefaultValue
  UNKNOWN;

  /** True once the task can no longer change. */
  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED || this == ABORTED || this == KILLED;
  }
}
