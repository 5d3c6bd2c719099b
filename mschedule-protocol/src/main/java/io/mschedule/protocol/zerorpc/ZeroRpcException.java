package io.mschedule.protocol.zerorpc;

/** Base class of the failures the zerorpc transport reports. */
public class ZeroRpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ZeroRpcException(String message) {
    super(message);
  }

  public ZeroRpcException(String message, Throwable cause) {
    super(message, cause);
  }
}
