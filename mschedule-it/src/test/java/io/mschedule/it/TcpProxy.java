package io.mschedule.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback between agents and the master that can stall traffic (connections stay
 * open, bytes wait) and reset every connection (RST, as a crashed middlebox would).
 */
final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong fromTarget =
      new java.util.concurrent.atomic.AtomicLong();
  private final Object gate = new Object();
  private boolean stalled;
  private volatile boolean closed;

  private TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  /** A proxy to {@code 127.0.0.1:targetPort}, listening on a free loopback port. */
  static TcpProxy to(int targetPort) {
    try {
      return new TcpProxy(targetPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String endpoint() {
    return "tcp://127.0.0.1:" + server.getLocalPort();
  }

  /** Connections accepted so far (a reconnect after a reset is a new one). */
  int accepted() {
    return accepted.get();
  }

  /** Bytes the target sent through the proxy so far (master to relay, say). */
  long bytesFromTarget() {
    return fromTarget.get();
  }

  /** Holds every byte in both directions (new connections are accepted but stalled too). */
  void stall() {
    synchronized (gate) {
      stalled = true;
    }
  }

  void resume() {
    synchronized (gate) {
      stalled = false;
      gate.notifyAll();
    }
  }

  /** Resets every open connection: both sides see a connection reset, not a clean close. */
  void reset() {
    for (Socket s : sockets) {
      try {
        s.setSoLinger(true, 0);
        s.close();
      } catch (IOException e) {
        // already gone
      }
    }
    sockets.clear();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        accepted.incrementAndGet();
        Socket upstream = new Socket();
        try {
          upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
        } catch (IOException e) {
          client.close();
          continue;
        }
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream, "proxy-up", null);
        pump(upstream, client, "proxy-down", fromTarget);
      } catch (IOException e) {
        if (!closed) {
          System.err.println("proxy accept failed: " + e);
        }
      }
    }
  }

  private void pump(
      Socket from, Socket to, String name, java.util.concurrent.atomic.AtomicLong counted) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  awaitOpen();
                  if (counted != null) {
                    counted.addAndGet(n);
                  }
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (SocketException e) {
                // reset or closed by the other pump
              } catch (IOException | InterruptedException e) {
                // connection over
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            name);
    t.setDaemon(true);
    t.start();
  }

  private void awaitOpen() throws InterruptedException {
    synchronized (gate) {
      while (stalled && !closed) {
        gate.wait();
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    closed = true;
    resume();
    try {
      server.close();
    } catch (IOException e) {
      // nothing to do
    }
    reset();
  }
}
