package io.mschedule.cli;

/** A failure the user can fix, reported as {@code mschedule: MESSAGE} with exit status 1. */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
