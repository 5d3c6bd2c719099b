package io.mschedule.protocol.zerorpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.msgpack.value.Value;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/** A bare ROUTER that plays a zerorpc server by hand (or never answers), for tests. */
final class RawRouter implements AutoCloseable {
  /** One event and the identity frame it came with. */
  record Received(byte[] peer, Event event) {}

  private final ZContext context = new ZContext(1);
  private final ZMQ.Socket socket;
  final int port;

  RawRouter() {
    context.setLinger(0);
    socket = context.createSocket(SocketType.ROUTER);
    socket.setLinger(0);
    port = socket.bindToRandomPort("tcp://127.0.0.1");
  }

  /** The next event received, or null if none arrives in time. */
  Received receive(Duration timeout) throws ProtocolException {
    socket.setReceiveTimeOut((int) Math.max(1, timeout.toMillis()));
    ZMsg msg = ZMsg.recvMsg(socket);
    if (msg == null) {
      return null;
    }
    List<ZFrame> frames = new ArrayList<>(msg);
    return new Received(
        frames.get(0).getData(), Event.decode(frames.get(frames.size() - 1).getData()));
  }

  /** The next event that is not a heartbeat, or null if none arrives in time. */
  Received receivePayload(Duration timeout) throws ProtocolException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      Received r = receive(Duration.ofNanos(Math.max(left, 1_000_000)));
      if (r == null || !r.event().name().equals("_zpc_hb")) {
        return r;
      }
    }
  }

  void sendOnChannel(byte[] peer, MessageId channel, String name, Value args) {
    socket.send(peer, ZMQ.SNDMORE);
    socket.send(new byte[0], ZMQ.SNDMORE);
    socket.send(Event.create(MessageId.generate(), channel, name, args).encode(), 0);
  }

  @Override
  public void close() {
    context.close();
  }
}
