package io.mschedule.master.relay;

import io.mschedule.protocol.zerorpc.ServerStream;
import java.util.ArrayList;
import java.util.List;
import org.msgpack.value.Value;

/**
 * The order stream of an agent behind a relay, as the master's agent links see it: items go out on
 * the relay's stream addressed to the agent; ending it tells the relay to end the agent's own
 * stream.
 */
final class RelayedStream implements ServerStream {
  private final RelayLink link;
  private final String agentId;
  private final long number;
  private final List<Runnable> listeners = new ArrayList<>();
  private boolean closed;

  RelayedStream(RelayLink link, String agentId, long number) {
    this.link = link;
    this.agentId = agentId;
    this.number = number;
  }

  String agentId() {
    return agentId;
  }

  long number() {
    return number;
  }

  @Override
  public boolean send(Value item) {
    return isOpen() && link.sendOrder(this, item);
  }

  @Override
  public void done() {
    end(null, null);
  }

  @Override
  public void error(String name, String message) {
    end(name, message);
  }

  private void end(String name, String message) {
    if (markClosed()) {
      link.ended(this, name, message);
      runListeners();
    }
  }

  /** The relay said the agent's stream ended, or the relay itself went away. */
  void closed() {
    if (markClosed()) {
      runListeners();
    }
  }

  private synchronized boolean markClosed() {
    if (closed) {
      return false;
    }
    closed = true;
    return true;
  }

  private void runListeners() {
    List<Runnable> toRun;
    synchronized (this) {
      toRun = List.copyOf(listeners);
      listeners.clear();
    }
    toRun.forEach(Runnable::run);
  }

  @Override
  public synchronized boolean isOpen() {
    return !closed;
  }

  @Override
  public void onClose(Runnable listener) {
    synchronized (this) {
      if (!closed) {
        listeners.add(listener);
        return;
      }
    }
    listener.run();
  }
}
