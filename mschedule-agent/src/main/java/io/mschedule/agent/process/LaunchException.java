package io.mschedule.agent.process;

/**
 * A script could not be started. This is not an exit code: the runner reports it as {@code
 * failed_to_start} with the message as the error text.
 */
public class LaunchException extends Exception {

  private static final long serialVersionUID = 1L;

  public LaunchException(String message) {
    super(message);
  }

  public LaunchException(String message, Throwable cause) {
    super(message, cause);
  }
}
