package io.mschedule.protocol.zerorpc;

/**
 * Serves the calls a {@link ZeroRpcServer} receives. Runs on the server's worker pool, once per new
 * channel. The handler answers through the {@link ServerCall}, now or later from any thread. If it
 * throws before answering, the client gets {@code ERR [exception simple name, message, nil]}.
 */
@FunctionalInterface
public interface CallHandler {
  void onCall(ServerCall call) throws Exception;

  /**
   * Called on the server's I/O thread as soon as a call arrives, before it is queued for a worker:
   * a handler may answer a cheap call here (in memory, never blocking) and return true; the call
   * then goes to no worker. It may also note that the call arrived and return false. If it throws,
   * the call goes to a worker as if it had returned false. By default: false.
   */
  default boolean onArrival(ServerCall call) {
    return false;
  }
}
