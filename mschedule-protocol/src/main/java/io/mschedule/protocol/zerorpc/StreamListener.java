package io.mschedule.protocol.zerorpc;

import org.msgpack.value.Value;

/**
 * Receives a stream on the client. Callbacks run in order on the client's callback thread; exactly
 * one of {@link #onEnd} or {@link #onError} ends the stream, unless it is closed locally first.
 */
public interface StreamListener {
  void onItem(Value item);

  /** The server sent {@code STREAM_DONE}. */
  void onEnd();

  /**
   * The stream failed: {@link RemoteErrorException} (server sent ERR), {@link
   * CallTimeoutException}, {@link LostRemoteException}, {@link ClientClosedException}, another
   * {@link ZeroRpcException} for a protocol violation, or the exception {@link #onItem} threw.
   */
  void onError(Throwable error);
}
