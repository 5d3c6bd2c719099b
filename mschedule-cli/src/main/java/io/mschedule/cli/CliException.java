package io.mschedule.cli;

/** A failure the user can fix, reported as {@code mschedule: MESSAGE} with exit status 1. */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CliException(String message) {
    super(message);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
