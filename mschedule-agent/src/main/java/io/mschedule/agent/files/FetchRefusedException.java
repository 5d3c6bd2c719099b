package io.mschedule.agent.files;

/** The master refused a piece of a file; asking again will not help. */
public final class FetchRefusedException extends RuntimeException {
  public FetchRefusedException(String message) {
    super(message);
  }
}
