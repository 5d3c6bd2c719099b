package io.mschedule.cli.launch;

import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/** What a start-up failure says, found in its chain of causes. */
final class FailureReasons {
  private FailureReasons() {}

  /** The innermost message, which is the one that says what went wrong. */
  static String reason(Throwable e) {
    ZMQException zmq = find(e, ZMQException.class);
    if (zmq != null) {
      try {
        return ZMQ.Error.findByCode(zmq.getErrorCode()).getMessage();
      } catch (IllegalArgumentException unknown) {
        // fall back to the message
      }
    }
    String reason = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        reason = t.getMessage().strip().lines().findFirst().orElse("");
      }
    }
    return reason == null ? e.getClass().getSimpleName() : reason;
  }

  static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  static boolean named(Throwable e, String simpleName) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getSimpleName().equals(simpleName)) {
        return true;
      }
    }
    return false;
  }
}
