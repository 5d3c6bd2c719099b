package io.mschedule.protocol.zerorpc;

import org.msgpack.value.Value;

/**
 * The server side of a zerorpc stream. Items go out as {@code STREAM item}, as far as the client's
 * {@code _zpc_more} grants allow; the rest wait in a bounded buffer. Thread-safe.
 */
public interface ServerStream {
  /**
   * Queues one item.
   *
   * @return false when the item was not accepted: the stream's buffer is full (the client is not
   *     consuming) or the stream has ended
   */
  boolean send(Value item);

  /** Ends the stream with {@code STREAM_DONE} after the queued items. Idempotent. */
  void done();

  /**
   * Ends the stream with {@code ERR [name, message, nil]} after the queued items. Ignored when the
   * stream has already ended.
   */
  void error(String name, String message);

  /** False once {@link #done}, {@link #error} was called or the stream was closed. */
  boolean isOpen();

  /**
   * Runs {@code listener} once when the stream ends for any reason: its last event was sent, the
   * client was lost (no heartbeat for two intervals) or the server closed. Runs at once if the
   * stream has already ended. Listeners run on the server's event thread and must not block.
   */
  void onClose(Runnable listener);

  /**
   * Runs {@code listener} each time the client heartbeats the stream ({@code _zpc_hb}): a sign that
   * the client is alive. On the server's I/O thread: it must be quick and must not block. Replaces
   * the previous listener; a stream that does not see its client's heartbeats (one relayed by
   * another server) never runs it.
   */
  default void onHeartbeat(Runnable listener) {}
}
