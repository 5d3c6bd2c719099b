package io.mschedule.protocol.zerorpc;

import java.util.concurrent.atomic.AtomicBoolean;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Wakes a thread that polls ZeroMQ sockets from any other thread: an inproc PULL socket the owner
 * polls, fed by a lock-guarded PUSH. At most one signal byte is in flight between two {@link
 * #clear} calls, however many threads signal.
 */
final class Wakeup {
  private static final byte[] SIGNAL = {1};

  private final ZContext context;
  private final ZMQ.Socket pull;
  private final ZMQ.Socket push;
  private final AtomicBoolean pending = new AtomicBoolean();
  private boolean pushClosed; // guarded by push

  Wakeup(ZContext context, String endpoint) {
    this.context = context;
    this.pull = context.createSocket(SocketType.PULL);
    pull.setLinger(0);
    pull.bind(endpoint);
    this.push = context.createSocket(SocketType.PUSH);
    push.setLinger(0);
    push.connect(endpoint);
  }

  /** The socket the owner thread polls for input. */
  ZMQ.Socket socket() {
    return pull;
  }

  /** Any thread: make the owner's next (or current) poll return. */
  void signal() {
    if (pending.compareAndSet(false, true)) {
      synchronized (push) {
        if (!pushClosed) {
          try {
            push.send(SIGNAL, ZMQ.DONTWAIT);
          } catch (ZMQException e) {
            // context terminating: the owner is stopping anyway
          }
        }
      }
    }
  }

  /**
   * Owner thread: consume signals. Call before draining the work the signals announce, so work
   * queued after this call signals again.
   */
  void clear() {
    while (pull.recv(ZMQ.DONTWAIT) != null) {
      // drain
    }
    pending.set(false);
  }

  /** Stops further signals; safe from any thread. */
  void closeSender() {
    synchronized (push) {
      if (!pushClosed) {
        pushClosed = true;
        context.destroySocket(push);
      }
    }
  }

  /** Owner thread, when it stops polling. */
  void closeReceiver() {
    context.destroySocket(pull);
  }
}
