package io.mschedule.protocol.zerorpc;

/** Nothing was heard on a channel for two heartbeat intervals: the peer is considered gone. */
public class LostRemoteException extends ZeroRpcException {
  private static final long serialVersionUID = 1L;

  public LostRemoteException(String message) {
    super(message);
  }
}
