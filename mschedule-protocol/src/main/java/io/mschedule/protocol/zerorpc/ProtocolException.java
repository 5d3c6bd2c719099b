package io.mschedule.protocol.zerorpc;

/** A frame that is not a valid zerorpc event. The message names the problem. */
public class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
