package io.mschedule.protocol.message;

/** A message does not follow docs/protocol.md; the text names the field at fault. */
public final class BadMessageException extends RuntimeException {
  public BadMessageException(String message) {
    super(message);
  }
}
