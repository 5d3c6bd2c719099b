package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mschedule.protocol.zerorpc.CurveKeys;
import io.mschedule.protocol.zerorpc.Event;
import io.mschedule.protocol.zerorpc.MessageId;
import io.mschedule.protocol.zerorpc.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Tens of thousands of random, truncated and type-confused frames at both agent listeners and
 * random JSON at the API, while a well-behaved agent keeps working. The master runs with a 128 MiB
 * heap, so anything it kept per bad frame would end it.
 */
class FuzzIT {
  @TempDir Path dir;

  private final Random random = new Random(20261127);

  @Test
  void garbage_never_stops_the_master_or_its_agents() throws Exception {
    String plain = "tcp://127.0.0.1:" + Ports.free();
    // no API rate limit here, so that the random requests reach the parser (429 is tested
    // elsewhere)
    try (Cluster c =
            Cluster.create(dir, 1)
                .masterArgs("--plain-agent-bind", plain)
                .masterEnv("MSCHEDULE_API_RATE_LIMIT", "0")
                .up(1);
        ZContext ctx = new ZContext()) {
      String agent = c.agentId(1);
      assertThat(runOn(c, agent)).isEqualTo("SUCCEEDED");

      CurveKeys.KeyPair stranger = CurveKeys.generate();
      byte[] masterKey = CurveKeys.decodeZ85(c.masterKey());
      for (int round = 0; round < 4; round++) {
        blast(ctx, plain, null, null, 5_000, Outcome.READ);
        blast(ctx, c.endpoint(), masterKey, stranger, 2_000, Outcome.READ); // key pending
        // no CURVE at all: refused in the handshake
        blast(ctx, c.endpoint(), null, null, 500, Outcome.REFUSED);
        fuzzApi(c, 250);
        // the well-behaved agent is still online and still runs tasks
        assertThat(c.stateOf(agent)).isEqualTo("online");
        assertThat(runOn(c, agent)).isEqualTo("SUCCEEDED");
      }
      assertThat(c.master().alive()).isTrue();
      assertThat(c.master().log()).doesNotContain("OutOfMemoryError");
      // the API still answers well-formed requests
      assertThat(c.api.get("/api/v1/agents").status()).isEqualTo(200);
    }
  }

  private String runOn(Cluster c, String agent) {
    String id = c.submit(Map.of("script", "echo ok", "targets", List.of(agent)));
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(30));
    return t.get("state").asText();
  }

  /** What becomes of a blast's frames. */
  private enum Outcome {
    /** The master reads them all (and answers some). */
    READ,
    /** The master refuses the connection in the handshake: no frame reaches it. */
    REFUSED
  }

  /**
   * Sends {@code n} bad frames from a few DEALER sockets, then waits until the master has read them
   * all (or, for a listener that refuses them, until it refuses such a client); answers are read
   * and ignored.
   */
  private void blast(
      ZContext ctx,
      String endpoint,
      byte[] serverKey,
      CurveKeys.KeyPair keys,
      int n,
      Outcome outcome) {
    List<ZMQ.Socket> sockets = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      ZMQ.Socket d = ctx.createSocket(SocketType.DEALER);
      d.setLinger(0);
      d.setSndHWM(100_000);
      d.setSendTimeOut(10_000);
      if (serverKey != null) {
        d.setCurveServerKey(serverKey);
        d.setCurvePublicKey(keys.publicKey());
        d.setCurveSecretKey(keys.secretKey());
      }
      d.connect(endpoint);
      sockets.add(d);
    }
    for (int i = 0; i < n; i++) {
      ZMQ.Socket d = sockets.get(i % sockets.size());
      if (outcome == Outcome.READ) {
        d.sendMore(new byte[0]);
      }
      // Frames that never pass the handshake need no envelope. Single parts also keep JeroMQ's
      // load balancer off its assertion when a refused connection closes between two parts.
      d.send(frame(i), ZMQ.DONTWAIT);
      if (i % 500 == 0) {
        drain(sockets);
      }
    }
    if (outcome == Outcome.READ) {
      awaitRead(sockets);
    } else {
      awaitRefusal(endpoint);
    }
    drain(sockets);
    for (ZMQ.Socket d : sockets) {
      ctx.destroySocket(d);
    }
  }

  /**
   * Sends a ping after the frames on each socket and waits for an answer: the master reads a
   * connection's frames in order, so when a ping is answered it has read everything before it. A
   * socket whose ping goes unanswered for a second pings again (a ping or its answer can be lost
   * with the connection it was queued on).
   */
  private static void awaitRead(List<ZMQ.Socket> sockets) {
    List<Set<MessageId>> pings = new ArrayList<>();
    long[] lastPing = new long[sockets.size()];
    for (int s = 0; s < sockets.size(); s++) {
      pings.add(ConcurrentHashMap.newKeySet());
      ping(sockets.get(s), pings.get(s));
      lastPing[s] = System.nanoTime();
    }
    // every socket is read on each poll, so that no socket's answers pile up unread
    Set<Integer> answered = new ConcurrentSkipListSet<>();
    Awaitility.await("the master's answer to a ping after the frames on every socket")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              for (int s = 0; s < sockets.size(); s++) {
                byte[] frame;
                while ((frame = sockets.get(s).recv(ZMQ.DONTWAIT)) != null) {
                  if (frame.length > 0 && answers(frame, pings.get(s))) {
                    answered.add(s);
                  }
                }
                if (!answered.contains(s)
                    && System.nanoTime() - lastPing[s] > TimeUnit.SECONDS.toNanos(1)) {
                  ping(sockets.get(s), pings.get(s));
                  lastPing[s] = System.nanoTime();
                }
              }
              return answered.size() == sockets.size();
            });
  }

  private static void ping(ZMQ.Socket d, Set<MessageId> pings) {
    MessageId id = MessageId.generate();
    pings.add(id);
    d.sendMore(new byte[0]);
    assertThat(
            d.send(Event.create(id, null, "_zerorpc_ping", ValueFactory.emptyArray()).encode(), 0))
        .as("ping sent")
        .isTrue();
  }

  private static boolean answers(byte[] frame, Set<MessageId> pings) {
    try {
      return Event.decode(frame).responseTo().map(pings::contains).orElse(false);
    } catch (ProtocolException notAnEvent) {
      return false;
    }
  }

  /**
   * Greets the listener as a ZeroMQ client without CURVE (a ZMTP 3.0 greeting with the NULL
   * mechanism) on a plain TCP connection, and waits until the master closes it.
   */
  private static void awaitRefusal(String endpoint) {
    URI uri = URI.create(endpoint);
    byte[] greeting = new byte[64];
    greeting[0] = (byte) 0xff; // signature
    greeting[9] = 0x7f;
    greeting[10] = 3; // version 3.0
    System.arraycopy("NULL".getBytes(StandardCharsets.US_ASCII), 0, greeting, 12, 4);
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
      probe.setSoTimeout(30_000);
      probe.getOutputStream().write(greeting);
      InputStream in = probe.getInputStream();
      byte[] buffer = new byte[256];
      try {
        while (in.read(buffer) != -1) {
          // the master's greeting, then the end of the connection
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the master did not refuse a client without CURVE in 30 s", e);
      } catch (IOException reset) {
        // a reset is a refusal too
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + endpoint, e);
    }
  }

  private static void drain(List<ZMQ.Socket> sockets) {
    for (ZMQ.Socket d : sockets) {
      while (d.recv(ZMQ.DONTWAIT) != null) {
        // answers (mostly ERR BadRequest) are not the point here
      }
    }
  }

  /** Random bytes, truncated events, or well-formed events whose content has the wrong types. */
  private byte[] frame(int i) {
    switch (i % 5) {
      case 0 -> {
        byte[] b = new byte[random.nextInt(300)];
        random.nextBytes(b);
        return b;
      }
      case 1 -> {
        byte[] good = event("sendmsg", ValueFactory.newArray(registerLike()));
        return java.util.Arrays.copyOf(good, random.nextInt(good.length));
      }
      case 2 -> {
        return event(
            random.nextBoolean() ? "sendmsg" : "subscribe", ValueFactory.newArray(randomValue(3)));
      }
      case 3 -> {
        return event("sendmsg", ValueFactory.newArray(registerLike()));
      }
      default -> {
        return event(randomText(), randomValue(2));
      }
    }
  }

  private byte[] event(String name, Value args) {
    return Event.create(MessageId.generate(), null, name, args).encode();
  }

  /** A register/heartbeat/result/output message with some fields of the wrong type. */
  private Value registerLike() {
    String[] types = {"register", "reg", "heartbeat", "result", "output", "subscribe", "kill"};
    Map<Value, Value> payload = new java.util.LinkedHashMap<>();
    String[] fields = {
      "id",
      "hostname",
      "ip",
      "labels",
      "agent_id",
      "code",
      "output",
      "seq",
      "data",
      "status",
      "token",
      "protocol"
    };
    for (String f : fields) {
      if (random.nextInt(3) > 0) {
        payload.put(ValueFactory.newString(f), randomValue(1));
      }
    }
    return ValueFactory.newMap(
        ValueFactory.newString("type"), ValueFactory.newString(types[random.nextInt(types.length)]),
        ValueFactory.newString("payload"), ValueFactory.newMap(payload));
  }

  private Value randomValue(int depth) {
    int kind = random.nextInt(depth > 0 ? 8 : 6);
    return switch (kind) {
      case 0 -> ValueFactory.newNil();
      case 1 -> ValueFactory.newInteger(random.nextLong());
      case 2 -> ValueFactory.newString(randomText());
      case 3 -> ValueFactory.newBinary(new byte[random.nextInt(64)]);
      case 4 -> ValueFactory.newBoolean(random.nextBoolean());
      case 5 -> ValueFactory.newFloat(random.nextDouble());
      case 6 -> {
        List<Value> items = new ArrayList<>();
        for (int k = random.nextInt(4); k > 0; k--) {
          items.add(randomValue(depth - 1));
        }
        yield ValueFactory.newArray(items);
      }
      default -> {
        Map<Value, Value> m = new java.util.LinkedHashMap<>();
        for (int k = random.nextInt(4); k > 0; k--) {
          m.put(ValueFactory.newString(randomText()), randomValue(depth - 1));
        }
        yield ValueFactory.newMap(m);
      }
    };
  }

  private String randomText() {
    String[] words = {
      "id",
      "type",
      "payload",
      "register",
      "x",
      "",
      "\u0000",
      "0123456789abcdef0123456789abcdef",
      "../../etc/passwd",
      "\u2603"
    };
    return words[random.nextInt(words.length)]
        + (random.nextBoolean() ? "" : String.valueOf(random.nextInt(99)));
  }

  /** Random JSON (and not JSON) at the task endpoint: every answer is a 4xx, never a 5xx. */
  private void fuzzApi(Cluster c, int n) {
    for (int i = 0; i < n; i++) {
      String body =
          switch (i % 4) {
            case 0 -> "{\"script\": " + randomJson() + ", \"targets\": " + randomJson() + "}";
            case 1 ->
                "{\"script\": \"true\", \"targets\": [\"all\"], \"parallel\": "
                    + randomJson()
                    + ", \"fail_rate\": "
                    + randomJson()
                    + ", \"timeout\": "
                    + randomJson()
                    + "}";
            case 2 -> randomJson();
            default -> randomText() + "{[\"";
          };
      int status = c.api.postRaw("/api/v1/tasks", body);
      assertThat(status).as(body).isIn(200, 201, 400, 413);
    }
  }

  private String randomJson() {
    return switch (random.nextInt(8)) {
      case 0 -> "null";
      case 1 -> String.valueOf(random.nextInt(2_000_000) - 1_000_000);
      case 2 -> "\"" + randomText().replace("\"", "").replace("\\", "") + "\"";
      case 3 -> "[" + random.nextDouble() + ", {}]";
      case 4 -> "{\"a\": [1, 2, {\"b\": null}]}";
      case 5 -> "true";
      case 6 -> "1e309";
      default -> "\"" + "%".repeat(random.nextInt(5)) + random.nextInt(300) + "%\"";
    };
  }
}
