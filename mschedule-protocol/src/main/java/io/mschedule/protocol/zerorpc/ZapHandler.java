package io.mschedule.protocol.zerorpc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import org.zeromq.ZMsg;

/**
 * ZAP (RFC 27) handler for one server's context: answers the CURVE handshake's authentication
 * requests with the {@link CurveAuthenticator}'s decision. The user id of an accepted connection is
 * the client key in Z85.
 */
final class ZapHandler {
  static final String ENDPOINT = "inproc://zeromq.zap.01";

  private static final Logger log = LoggerFactory.getLogger(ZapHandler.class);

  private final ZContext context;
  private final CurveAuthenticator authenticator;
  private final ZMQ.Socket socket;
  private final Wakeup stop;
  private final Thread thread;
  private final RateLimitedLog refusals = new RateLimitedLog(log, 5);

  ZapHandler(ZContext context, CurveAuthenticator authenticator, String threadName) {
    this.context = context;
    this.authenticator = authenticator;
    this.socket = context.createSocket(SocketType.REP);
    socket.setLinger(0);
    socket.bind(ENDPOINT);
    this.stop = new Wakeup(context, "inproc://zerorpc-zap-stop");
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    ZMQ.Poller poller = context.createPoller(2);
    poller.register(socket, ZMQ.Poller.POLLIN);
    poller.register(stop.socket(), ZMQ.Poller.POLLIN);
    try {
      while (true) {
        poller.poll(-1);
        if (poller.pollin(1)) {
          break;
        }
        ZMsg request = ZMsg.recvMsg(socket, ZMQ.DONTWAIT);
        if (request != null) {
          ZMsg reply;
          try {
            reply = reply(request);
          } catch (RuntimeException e) {
            log.error("ZAP request failed; refusing the client", e);
            reply = answer(new byte[0], "500", "internal error", "");
          }
          reply.send(socket); // a REP socket must answer every request
        }
      }
    } catch (ZMQException e) {
      log.debug("ZAP handler stopping: {}", e.getMessage());
    } catch (RuntimeException | Error e) {
      log.error("ZAP handler failed; CURVE clients can no longer connect", e);
    } finally {
      poller.close();
      context.destroySocket(socket);
      stop.closeReceiver();
    }
  }

  private ZMsg reply(ZMsg request) {
    List<byte[]> f = new ArrayList<>();
    for (ZFrame frame : request) {
      f.add(frame.getData());
    }
    byte[] requestId = f.size() > 1 ? f.get(1) : new byte[0];
    if (f.size() < 6 || !"1.0".equals(ascii(f.get(0)))) {
      return answer(requestId, "500", "malformed ZAP request", "");
    }
    String mechanism = ascii(f.get(5));
    byte[] key = f.size() > 6 ? f.get(6) : null;
    if (!"CURVE".equals(mechanism) || key == null || key.length != CurveKeys.KEY_BYTES) {
      refusals.warn("refused a {} connection from {}: CURVE required", mechanism, ascii(f.get(3)));
      return answer(requestId, "400", "CURVE required", "");
    }
    boolean allowed;
    try {
      allowed = authenticator.allow(key.clone());
    } catch (RuntimeException e) {
      log.warn("CURVE authenticator failed; refusing the client", e);
      allowed = false;
    }
    String z85 = ZMQ.Curve.z85Encode(key);
    if (!allowed) {
      // the authenticator's owner logs refusals: it knows whose key it is
      log.debug("refused CURVE client key {} from {}", z85, ascii(f.get(3)));
      return answer(requestId, "400", "client key not allowed", "");
    }
    return answer(requestId, "200", "OK", z85);
  }

  private static ZMsg answer(byte[] requestId, String status, String text, String userId) {
    ZMsg reply = new ZMsg();
    reply.add("1.0");
    reply.add(requestId);
    reply.add(status);
    reply.add(text);
    reply.add(userId);
    reply.add(new byte[0]);
    return reply;
  }

  private static String ascii(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  void close() {
    stop.signal();
    ZeroRpcServer.join(thread);
    stop.closeSender();
  }
}
