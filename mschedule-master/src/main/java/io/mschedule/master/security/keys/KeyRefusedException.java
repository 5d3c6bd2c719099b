package io.mschedule.master.security.keys;

/** An agent may not join or act; the message says why and what the operator can do. */
public final class KeyRefusedException extends RuntimeException {
  public KeyRefusedException(String message) {
    super(message);
  }
}
