package io.mschedule.protocol.zerorpc;

/** The client was closed before the call or stream ended. */
public class ClientClosedException extends ZeroRpcException {
  private static final long serialVersionUID = 1L;

  public ClientClosedException(String message) {
    super(message);
  }
}
