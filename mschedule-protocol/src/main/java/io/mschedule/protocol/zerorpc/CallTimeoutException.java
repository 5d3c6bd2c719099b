package io.mschedule.protocol.zerorpc;

/** No first reply (OK, ERR or first stream item) arrived within the call's timeout. */
public class CallTimeoutException extends ZeroRpcException {
  private static final long serialVersionUID = 1L;

  public CallTimeoutException(String message) {
    super(message);
  }
}
