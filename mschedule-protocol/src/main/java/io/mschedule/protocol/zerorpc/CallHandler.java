package io.mschedule.protocol.zerorpc;

/**
 * Serves the calls a {@link ZeroRpcServer} receives. Runs on the server's worker pool, once per new
 * channel. The handler answers through the {@link ServerCall}, now or later from any thread. If it
 * throws before answering, the client gets {@code ERR [exception simple name, message, nil]}.
 */
@FunctionalInterface
public interface CallHandler {
  void onCall(ServerCall call) throws Exception;
}
