package io.mschedule.agent.runner;

/** How a run ended. The wire names are those of the {@code result} message. */
public enum RunStatus {
  /** The script ended by itself; {@code code} is its exit code. */
  EXITED("exited"),
  /** The run exceeded its timeout and its process tree was stopped. */
  TIMED_OUT("timed_out"),
  /** The run was killed on request (or because the agent shut down). */
  KILLED("killed"),
  /** The script could not be started at all; there is no exit code. */
  FAILED_TO_START("failed_to_start"),
  /** The agent stopped while the script ran; its fate is unknown and it is not run again. */
  LOST("lost");

  private final String wireName;

  RunStatus(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in the {@code status} field of the {@code result} message. */
  public String wireName() {
    return wireName;
  }

  /**
   * The status with this wire name.
   *
   * @throws IllegalArgumentException when the name is not one of the four wire names
   */
  public static RunStatus fromWire(String wireName) {
    for (RunStatus status : values()) {
      if (status.wireName.equals(wireName)) {
        return status;
      }
    }
    throw new IllegalArgumentException(
        "unknown run status '"
            + wireName
            + "', expected one of exited, timed_out, killed, failed_to_start, lost");
  }
}
