package io.mschedule.cli.client;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Run states as the API reports them; {@link #UNKNOWN} stands for any newer state. */
public enum RunState {
  WAITING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  FAILED_TO_START,
  TIMED_OUT,
  KILLED,
  LOST,
  SKIPPED,
  @JsonEnumDefaultValue
  UNKNOWN;

  /** True once the run has ended (it will not change any more). */
  public boolean isFinal() {
    return this != WAITING && this != RUNNING && this != UNKNOWN;
  }
}
