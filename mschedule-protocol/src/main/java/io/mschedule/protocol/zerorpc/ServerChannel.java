package io.mschedule.protocol.zerorpc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * One server-side channel: a call, and the stream it may become. Producers (any thread) encode
 * events and hand them to the I/O thread while they hold send slots; beyond that, items wait in
 * {@link #pending}. The I/O thread owns the liveness fields and the channel table.
 */
final class ServerChannel implements ServerCall, ServerStream {
  final ChannelKey key;
  private final ZeroRpcServer server;
  private final PeerId peer;
  private final MessageId requestId;
  private final String method;
  private final List<Value> args;
  final boolean passiveHeartbeat;
  final boolean compatV2;

  // I/O thread only. Liveness counts from the later of the first heartbeat tick and the last event
  // heard, as zerorpc-python does: a silent peer is lost three intervals after the call began.
  long lastHeardNanos;
  long nextHeartbeatNanos;
  boolean heardHeartbeat;
  private volatile Runnable heartbeatListener;

  // guarded by this
  private boolean answered;
  private boolean streaming;
  private boolean closed;
  private int slots = 1;
  private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
  private byte[] terminal;
  private List<Runnable> closeListeners;

  ServerChannel(
      ZeroRpcServer server,
      ChannelKey key,
      PeerId peer,
      MessageId requestId,
      String method,
      List<Value> args,
      long version,
      long nowNanos,
      long heartbeatNanos) {
    this.server = server;
    this.key = key;
    this.peer = peer;
    this.requestId = requestId;
    this.method = method;
    this.args = args;
    this.passiveHeartbeat = version < 2;
    this.compatV2 = version < 3;
    this.lastHeardNanos = nowNanos + heartbeatNanos;
    this.nextHeartbeatNanos = nowNanos + heartbeatNanos;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public List<Value> args() {
    return args;
  }

  @Override
  public PeerId peer() {
    return peer;
  }

  MessageId requestId() {
    return requestId;
  }

  @Override
  public synchronized boolean isOpen() {
    return !answered && !closed;
  }

  @Override
  public void reply(Value result) {
    byte[] event =
        encode("OK", ValueFactory.newArray(result == null ? ValueFactory.newNil() : result));
    synchronized (this) {
      if (answered || streaming) {
        throw new IllegalStateException("call " + method + " was already answered");
      }
      finish(event);
    }
  }

  @Override
  public void error(String name, String message) {
    byte[] event = encodeError(name, message);
    synchronized (this) {
      if (answered) {
        if (streaming) {
          return; // stream already ended: ignored, as documented on ServerStream
        }
        throw new IllegalStateException("call " + method + " was already answered");
      }
      finish(event);
    }
  }

  /** The handler threw: answer with the exception unless it already answered. */
  void failFromHandler(Throwable t) {
    byte[] event =
        encodeError(t.getClass().getSimpleName(), t.getMessage() == null ? "" : t.getMessage());
    synchronized (this) {
      if (!answered) {
        finish(event);
      }
    }
  }

  @Override
  public synchronized ServerStream openStream() {
    if (answered && !streaming) {
      throw new IllegalStateException("call " + method + " was already answered");
    }
    streaming = true;
    return this;
  }

  @Override
  public boolean send(Value item) {
    byte[] event = encode("STREAM", item == null ? ValueFactory.newNil() : item);
    synchronized (this) {
      if (!streaming) {
        throw new IllegalStateException("openStream() was not called on " + method);
      }
      if (answered || closed) {
        return false;
      }
      if (slots > 0 && pending.isEmpty()) {
        slots--;
        server.sendLater(this, event, false);
        return true;
      }
      if (pending.size() >= server.streamBufferSize()) {
        return false;
      }
      pending.add(event);
      return true;
    }
  }

  @Override
  public void done() {
    byte[] event = encode("STREAM_DONE", ValueFactory.newNil());
    synchronized (this) {
      if (!answered) {
        finish(event);
      }
    }
  }

  @Override
  public void onHeartbeat(Runnable listener) {
    heartbeatListener = listener;
  }

  /** On the I/O thread, at each {@code _zpc_hb} of the client. */
  void heardHeartbeat() {
    heardHeartbeat = true;
    Runnable listener = heartbeatListener;
    if (listener != null) {
      listener.run();
    }
  }

  @Override
  public void onClose(Runnable listener) {
    synchronized (this) {
      if (!closed) {
        if (closeListeners == null) {
          closeListeners = new ArrayList<>(1);
        }
        closeListeners.add(listener);
        return;
      }
    }
    server.fireListeners(List.of(listener));
  }

  /** I/O thread: the client granted {@code n} more events. */
  void addSlots(long n) {
    synchronized (this) {
      if (closed || n <= 0) {
        return;
      }
      slots = (int) Math.min(Integer.MAX_VALUE, slots + n);
      while (slots > 0 && !pending.isEmpty()) {
        slots--;
        server.sendLater(this, pending.poll(), false);
      }
      if (terminal != null && slots > 0 && pending.isEmpty()) {
        slots--;
        server.sendLater(this, terminal, true);
        terminal = null;
      }
    }
  }

  /** I/O thread: the channel left the table (last event sent, peer lost, server closing). */
  void markClosed() {
    List<Runnable> listeners;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      pending.clear();
      terminal = null;
      listeners = closeListeners;
      closeListeners = null;
    }
    if (listeners != null) {
      server.fireListeners(listeners);
    }
  }

  // guarded by this
  private void finish(byte[] event) {
    answered = true;
    if (closed) {
      return; // peer lost or server closed: dropped
    }
    if (slots > 0 && pending.isEmpty()) {
      slots--;
      server.sendLater(this, event, true);
    } else {
      terminal = event;
    }
  }

  private byte[] encode(String name, Value args) {
    return Event.create(MessageId.generate(), requestId, name, args).encode();
  }

  private byte[] encodeError(String name, String message) {
    return encode(
        "ERR",
        ValueFactory.newArray(
            ValueFactory.newString(name == null ? "Error" : name),
            ValueFactory.newString(message == null ? "" : message),
            ValueFactory.newNil()));
  }

  @Override
  public String toString() {
    return "ServerChannel[" + method + " " + requestId + " from " + peer + "]";
  }
}
