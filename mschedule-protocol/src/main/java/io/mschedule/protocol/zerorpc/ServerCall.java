package io.mschedule.protocol.zerorpc;

import java.util.List;
import java.util.Optional;
import org.msgpack.value.Value;

/**
 * One incoming call (a zerorpc channel). Answer it exactly once: {@link #reply}, {@link #error} or
 * {@link #openStream}. Every method may be called from any thread. If the client is lost before the
 * answer, the answer is dropped.
 */
public interface ServerCall {
  String method();

  /** The positional arguments. */
  List<Value> args();

  /** The connection the call came in on. */
  PeerId peer();

  /** The client's CURVE public key, on a CURVE server. */
  default Optional<byte[]> peerKey() {
    return peer().curveKey();
  }

  /** False once the call was answered or its client was lost. */
  boolean isOpen();

  /**
   * Sends {@code OK [result]}.
   *
   * @param result any msgpack value; {@code null} sends nil
   * @throws IllegalStateException if the call was already answered
   */
  void reply(Value result);

  /**
   * Sends {@code ERR [name, message, nil]}.
   *
   * @throws IllegalStateException if the call was already answered
   */
  void error(String name, String message);

  /**
   * Turns the call into a stream: the answer becomes a sequence of {@code STREAM} events closed by
   * {@code STREAM_DONE} or {@code ERR}.
   *
   * @throws IllegalStateException if the call was already answered with reply or error
   */
  ServerStream openStream();
}
