package io.mschedule.protocol.zerorpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/** A bare DEALER socket that speaks zerorpc by hand, for tests. Single-threaded. */
final class RawDealer implements AutoCloseable {
  private final ZContext context = new ZContext(1);
  private final ZMQ.Socket socket;

  RawDealer(String endpoint) {
    context.setLinger(0);
    socket = context.createSocket(SocketType.DEALER);
    socket.setLinger(0);
    // JeroMQ 0.6.0 sometimes stalls a new outgoing connection before its greeting; retry soon
    socket.setHandshakeIvl(1000);
    socket.connect(endpoint);
  }

  /** Sends {@code ["", payload]} as a zerorpc client does. */
  void send(byte[] payload) {
    socket.send(new byte[0], ZMQ.SNDMORE);
    socket.send(payload, 0);
  }

  /** Sends the given frames as they are. */
  void sendFrames(byte[]... frames) {
    for (int i = 0; i < frames.length; i++) {
      socket.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0);
    }
  }

  /** Sends a new request and returns its id. */
  MessageId call(String method, Value... args) {
    MessageId id = MessageId.generate();
    send(Event.create(id, null, method, ValueFactory.newArray(args)).encode());
    return id;
  }

  void sendOnChannel(MessageId channel, String name, Value args) {
    send(Event.create(MessageId.generate(), channel, name, args).encode());
  }

  /** The next event, or null if none arrives in time. */
  Event receive(Duration timeout) throws ProtocolException {
    socket.setReceiveTimeOut((int) timeout.toMillis());
    ZMsg msg = ZMsg.recvMsg(socket);
    if (msg == null) {
      return null;
    }
    return Event.decode(msg.getLast().getData());
  }

  /** The next event that is not a heartbeat, or null if none arrives in time. */
  Event receivePayload(Duration timeout) throws ProtocolException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      Event e = receive(Duration.ofNanos(Math.max(left, 1_000_000)));
      if (e == null || !e.name().equals("_zpc_hb")) {
        return e;
      }
    }
  }

  /**
   * Exactly {@code n} events (heartbeats excluded), each awaited up to {@code wait}, then checks
   * that no further one arrives within {@code quiet}.
   */
  List<Event> receiveExactly(int n, Duration wait, Duration quiet) throws ProtocolException {
    List<Event> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      Event e = receivePayload(wait);
      if (e == null) {
        throw new AssertionError("got " + k + " events, expected " + n + ": " + out);
      }
      out.add(e);
    }
    Event extra = receivePayload(quiet);
    if (extra != null) {
      throw new AssertionError("expected " + n + " events, got one more: " + extra);
    }
    return out;
  }

  @Override
  public void close() {
    context.close();
  }
}
