package io.mschedule.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that delays every byte by a fixed time in each direction, as a WAN link
 * would, and counts the bytes that cross it each way. Each direction keeps its order: a reader
 * stamps what it read, a writer sends it once the delay has passed.
 */
final class LatencyProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final long delayNanos;
  private final AtomicLong toTarget = new AtomicLong();
  private final AtomicLong fromTarget = new AtomicLong();
  private volatile boolean closed;

  private record Chunk(long due, byte[] data) {}

  private LatencyProxy(int targetPort, long delayNanos) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.targetPort = targetPort;
    this.delayNanos = delayNanos;
    Thread t = new Thread(this::accept, "latency-proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  /** A proxy in front of {@code 127.0.0.1:targetPort} adding {@code delayMillis} each way. */
  static LatencyProxy to(int targetPort, long delayMillis) {
    try {
      return new LatencyProxy(targetPort, delayMillis * 1_000_000L);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot open the proxy's port", e);
    }
  }

  String endpoint() {
    return "tcp://127.0.0.1:" + server.getLocalPort();
  }

  /** Bytes sent towards the target (for a relay's uplink: relay → master). */
  long bytesToTarget() {
    return toTarget.get();
  }

  /** Bytes sent back from the target (master → relay). */
  long bytesFromTarget() {
    return fromTarget.get();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        client.setTcpNoDelay(true);
        target.setTcpNoDelay(true);
        pipe(client, target, toTarget);
        pipe(target, client, fromTarget);
      } catch (IOException e) {
        if (!closed) {
          System.err.println("latency proxy: " + e);
        }
      }
    }
  }

  private void pipe(Socket from, Socket to, AtomicLong counter) throws IOException {
    BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    Thread reader =
        new Thread(
            () -> {
              byte[] buf = new byte[64 * 1024];
              try {
                int n;
                while ((n = in.read(buf)) > 0) {
                  queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buf, n)));
                }
              } catch (IOException e) {
                // the connection ended
              }
              queue.add(new Chunk(0, null));
            },
            "latency-proxy-read");
    Thread writer =
        new Thread(
            () -> {
              try {
                while (true) {
                  Chunk c = queue.take();
                  if (c.data() == null) {
                    break;
                  }
                  long wait = c.due() - System.nanoTime();
                  if (wait > 0) {
                    Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                  }
                  out.write(c.data());
                  counter.addAndGet(c.data().length);
                }
              } catch (IOException | InterruptedException e) {
                // the connection ended
              }
              closeQuietly(from);
              closeQuietly(to);
            },
            "latency-proxy-write");
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing
    }
  }
}
