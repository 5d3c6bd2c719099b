package io.mschedule.protocol.zerorpc;

/** A stream opened by {@link ZeroRpcClient#stream}. */
public interface ClientStream extends AutoCloseable {
  /** True until the stream ended or was closed. */
  boolean isOpen();

  /**
   * Stops the stream locally: no further listener callbacks run and later events are dropped.
   * zerorpc has no cancel event: the server notices when this channel's heartbeats stop.
   */
  @Override
  void close();
}
