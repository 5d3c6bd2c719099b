package io.mschedule.it;

import io.mschedule.protocol.zerorpc.ClientOptions;
import io.mschedule.protocol.zerorpc.CurveKeys;
import io.mschedule.protocol.zerorpc.ZeroRpcClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * Hostile traffic at a master's agent port, bounded in count and time, on loopback: plain TCP
 * connections (some silent, some sending garbage, some a truncated ZMTP greeting) and new agents
 * with random CURVE keys sending {@code register} (their keys wait as pending).
 */
final class Flood implements AutoCloseable {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  private final Cluster cluster;
  private final ExecutorService sockets = Executors.newFixedThreadPool(32);
  private final ExecutorService registrations = Executors.newFixedThreadPool(10);
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger registers = new AtomicInteger();
  private final AtomicInteger pendingTasks = new AtomicInteger();

  private Flood(Cluster cluster) {
    this.cluster = cluster;
  }

  static Flood against(Cluster cluster) {
    return new Flood(cluster);
  }

  /** Queues {@code tcp} hostile connections and {@code keys} registrations of unknown keys. */
  void start(int tcp, int keys) {
    byte[] masterKey = CurveKeys.decodeZ85(cluster.masterKey());
    pendingTasks.addAndGet(tcp + keys);
    for (int i = 0; i < tcp; i++) {
      int n = i;
      sockets.execute(
          () -> {
            try {
              hostileConnection(n);
            } finally {
              pendingTasks.decrementAndGet();
            }
          });
    }
    for (int i = 0; i < keys; i++) {
      registrations.execute(
          () -> {
            try {
              register(masterKey);
            } finally {
              pendingTasks.decrementAndGet();
            }
          });
    }
  }

  boolean done() {
    return pendingTasks.get() == 0;
  }

  int connectionsTried() {
    return connections.get();
  }

  int registrationsTried() {
    return registers.get();
  }

  private void hostileConnection(int n) {
    Random random = new Random(n);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), cluster.agentPort), 2_000);
      connections.incrementAndGet();
      s.setSoTimeout(50);
      OutputStream out = s.getOutputStream();
      switch (n % 3) {
        case 0 -> {
          byte[] garbage = new byte[1 + random.nextInt(512)];
          random.nextBytes(garbage);
          out.write(garbage);
        }
        case 1 -> out.write(new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 3}); // ZMTP 3
        default -> {
          // silent: connect and wait
        }
      }
      out.flush();
      try {
        s.getInputStream().read(new byte[64]); // whatever the master answers, or a timeout
      } catch (IOException e) {
        // a timeout or the master closing the connection: both are fine
      }
    } catch (IOException e) {
      connections.incrementAndGet(); // refused or reset: the attempt still counts
    }
  }

  private void register(byte[] masterKey) {
    CurveKeys.KeyPair keys = CurveKeys.generate();
    ClientOptions options =
        new ClientOptions(cluster.endpoint())
            .curve(masterKey, keys.publicKey(), keys.secretKey())
            .handshakeTimeout(CALL_TIMEOUT);
    byte[] id = new byte[16];
    new Random().nextBytes(id);
    try (ZeroRpcClient client = ZeroRpcClient.connect(options)) {
      registers.incrementAndGet();
      client
          .call("sendmsg", CALL_TIMEOUT, registerMessage(HexFormat.of().formatHex(id)))
          .get(CALL_TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // refused (pending), timed out: the master may answer as it likes, but must keep serving
    }
  }

  private static Value registerMessage(String agentId) {
    Map<Value, Value> payload = new LinkedHashMap<>();
    payload.put(ValueFactory.newString("id"), ValueFactory.newString(agentId));
    payload.put(ValueFactory.newString("hostname"), ValueFactory.newString("flood-" + agentId));
    payload.put(ValueFactory.newString("ip"), ValueFactory.newArray(List.of()));
    Map<Value, Value> msg = new LinkedHashMap<>();
    msg.put(ValueFactory.newString("type"), ValueFactory.newString("register"));
    msg.put(ValueFactory.newString("payload"), ValueFactory.newMap(payload));
    return ValueFactory.newMap(msg);
  }

  @Override
  public void close() throws InterruptedException {
    sockets.shutdownNow();
    registrations.shutdownNow();
    sockets.awaitTermination(10, TimeUnit.SECONDS);
    registrations.awaitTermination(10, TimeUnit.SECONDS);
  }
}
