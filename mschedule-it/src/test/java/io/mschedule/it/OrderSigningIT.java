package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mschedule.protocol.message.Heartbeat;
import io.mschedule.protocol.message.Message;
import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.message.MessageTypes;
import io.mschedule.protocol.message.OutputChunk;
import io.mschedule.protocol.message.Register;
import io.mschedule.protocol.message.Result;
import io.mschedule.protocol.message.Subscribe;
import io.mschedule.protocol.message.Subscribed;
import io.mschedule.protocol.message.TaskOrder;
import io.mschedule.protocol.signing.OrderKeys;
import io.mschedule.protocol.signing.OrderSigner;
import io.mschedule.protocol.zerorpc.CurveKeys;
import io.mschedule.protocol.zerorpc.ServerCall;
import io.mschedule.protocol.zerorpc.ServerOptions;
import io.mschedule.protocol.zerorpc.ServerStream;
import io.mschedule.protocol.zerorpc.ZeroRpcServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * Real agent processes against a stand-in master on loopback (CURVE, as agents expect) that sends
 * orders unsigned, signed with another key, changed after signing, too old, and signed right: the
 * agent runs only the last, and logs why it refused the others.
 */
class OrderSigningIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;

  static KeyPair orderKeys;
  static KeyPair otherKeys;
  static StandInMaster master;
  static final List<JavaProcess> agents = new ArrayList<>();
  static final int metricsPort = Ports.free();

  @BeforeAll
  static void start() throws Exception {
    KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
    orderKeys = ed.generateKeyPair();
    otherKeys = ed.generateKeyPair();
    master = new StandInMaster(OrderKeys.encode(orderKeys.getPublic()));
    // 1: told the key; 2: learns it on first contact; 3: pinned another key before
    agents.add(
        agent(
            1,
            List.of("--order-key", OrderKeys.encode(orderKeys.getPublic())),
            Map.of("MSCHEDULE_METRICS_BIND", "127.0.0.1:" + metricsPort)));
    agents.add(agent(2, List.of(), Map.of()));
    Files.createDirectories(dir.resolve("agent-3"));
    Files.writeString(
        dir.resolve("agent-3").resolve("master-order.pub"),
        OrderKeys.encode(otherKeys.getPublic()) + "\n");
    agents.add(agent(3, List.of(), Map.of()));
  }

  @AfterAll
  static void stop() {
    agents.forEach(JavaProcess::close);
    if (master != null) {
      master.close();
    }
  }

  @Test
  void anAgentRunsOnlyOrdersSignedWithTheOrderKeyItWasGiven() throws Exception {
    ServerStream orders = master.awaitStream(agentId(1));
    long now = System.currentTimeMillis();
    Order unsigned = new Order("unsigned");
    Order otherKey = new Order("other-key");
    Order tampered = new Order("tampered");
    Order old = new Order("old");
    Order good = new Order("good");

    assertThat(orders.send(MessageCodec.encode(unsigned.order()))).isTrue();
    assertThat(orders.send(new OrderSigner(otherKeys.getPrivate()).sign(otherKey.order(), now)))
        .isTrue();
    Value harmless = signer().sign(tampered.order("echo harmless"), now);
    assertThat(orders.send(withScript(harmless, tampered.script()))).isTrue();
    assertThat(orders.send(signer().sign(old.order(), now - Duration.ofMinutes(11).toMillis())))
        .isTrue();
    assertThat(orders.send(signer().sign(good.order(), now))).isTrue();

    // orders are taken in turn: by the time the good one has run, the others were refused
    await("the signed order runs").atMost(WAIT).until(() -> Files.exists(good.marker()));
    await("its result").atMost(WAIT).until(() -> master.results.containsKey(good.id));
    assertThat(master.results.get(good.id).code()).isZero();
    for (Order refused : List.of(unsigned, otherKey, tampered, old)) {
      assertThat(refused.marker()).as(refused.name).doesNotExist();
      assertThat(master.results).as(refused.name).doesNotContainKey(refused.id);
    }
    String log = agents.get(0).log();
    assertThat(log)
        .contains("refused the task " + unsigned.id + " from ")
        .contains("it carries no signature");
    assertThat(line(log, otherKey.id)).contains("does not match the order key");
    assertThat(line(log, tampered.id)).contains("changed after it was signed");
    assertThat(line(log, old.id)).contains("more than 10 minutes ago");
    assertThat(
            MetricsIT.get("http://127.0.0.1:" + metricsPort + "/metrics", null)
                .value("mschedule_agent_orders_refused_total"))
        .isEqualTo(4.0);

    // the same signed order played again does not run again
    Files.delete(good.marker());
    assertThat(orders.send(signer().sign(good.order(), now))).isTrue();
    Order after = new Order("after");
    assertThat(orders.send(signer().sign(after.order(), now))).isTrue();
    await("the next order runs").atMost(WAIT).until(() -> Files.exists(after.marker()));
    assertThat(good.marker()).doesNotExist();
  }

  @Test
  void anAgentWithoutAKeyPinsTheMastersOnFirstContactAndThenRequiresIt() throws Exception {
    ServerStream orders = master.awaitStream(agentId(2));
    Path pin = dir.resolve("agent-2").resolve("master-order.pub");
    assertThat(Files.readString(pin).strip()).isEqualTo(OrderKeys.encode(orderKeys.getPublic()));
    Order unsigned = new Order("tofu-unsigned");
    Order good = new Order("tofu-good");
    assertThat(orders.send(MessageCodec.encode(unsigned.order()))).isTrue();
    assertThat(orders.send(signer().sign(good.order(), System.currentTimeMillis()))).isTrue();

    await("the signed order runs").atMost(WAIT).until(() -> Files.exists(good.marker()));
    assertThat(unsigned.marker()).doesNotExist();
    assertThat(line(agents.get(1).log(), unsigned.id)).contains("carries no signature");
  }

  @Test
  void anAgentThatPinnedAnotherKeyRefusesTheMasterAndSaysWhatToDo() {
    JavaProcess agent = agents.get(2);
    await("the agent names the key mismatch")
        .atMost(WAIT)
        .until(() -> agent.log().contains("so it would refuse every order"));
    assertThat(agent.log())
        .contains("signs orders with the key " + OrderKeys.encode(orderKeys.getPublic()))
        .contains("delete " + dir.resolve("agent-3").resolve("master-order.pub"));
    assertThat(master.streams).doesNotContainKey(agentId(3));
    assertThat(agent.alive()).isTrue(); // it keeps trying, in case the operator fixes the master
  }

  private static OrderSigner signer() {
    return new OrderSigner(orderKeys.getPrivate());
  }

  /** The agent's log line about the order of {@code taskId}. */
  private static String line(String log, String taskId) {
    return log.lines().filter(l -> l.contains(taskId)).findFirst().orElse("(no line about it)");
  }

  private static Value withScript(Value item, String script) {
    Map<Value, Value> top = new LinkedHashMap<>(item.asMapValue().map());
    Value payloadKey = ValueFactory.newString("payload");
    Map<Value, Value> payload = new LinkedHashMap<>(top.get(payloadKey).asMapValue().map());
    payload.put(
        ValueFactory.newString("script"),
        ValueFactory.newString(
            java.util.Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_8))));
    top.put(payloadKey, ValueFactory.newMap(payload));
    return ValueFactory.newMap(top);
  }

  private static JavaProcess agent(int i, List<String> extra, Map<String, String> env) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "agent",
                "--data-dir",
                dir.resolve("agent-" + i).toString(),
                "--master",
                master.endpoint(),
                "--master-key",
                master.publicKey(),
                "--heartbeat",
                "1"));
    args.addAll(extra);
    return JavaProcess.start(dir.resolve("logs/agent-" + i + ".out"), args, env);
  }

  private static String agentId(int i) {
    Path f = dir.resolve("agent-" + i).resolve("myid");
    await("myid of agent " + i).atMost(WAIT).until(() -> Files.exists(f) && Files.size(f) > 0);
    try {
      return Files.readString(f).strip();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A task whose script creates a marker file named after it. */
  private static final class Order {
    final String name;
    final String id = UUID.randomUUID().toString().replace("-", "");

    Order(String name) {
      this.name = name;
    }

    Path marker() {
      return dir.resolve("markers").resolve(name);
    }

    String script() {
      return "mkdir -p '" + marker().getParent() + "' && touch '" + marker() + "'\n";
    }

    TaskOrder order() {
      return order(script());
    }

    TaskOrder order(String script) {
      return new TaskOrder(id, script.getBytes(StandardCharsets.UTF_8), 30, 1, 0, -1);
    }
  }

  /**
   * Answers register and heartbeat as a master does (giving its order key), keeps each agent's
   * order stream, and records results.
   */
  static final class StandInMaster implements AutoCloseable {
    private final CurveKeys.KeyPair curve = CurveKeys.generate();
    private final String orderKey;
    private final ZeroRpcServer server;
    final Map<String, ServerStream> streams = new ConcurrentHashMap<>();
    final Map<String, Result> results = new ConcurrentHashMap<>();

    StandInMaster(String orderKey) {
      this.orderKey = orderKey;
      this.server =
          ZeroRpcServer.start(
              new ServerOptions("tcp://127.0.0.1:0")
                  .name("stand-in-master")
                  .curve(curve.publicKey(), curve.secretKey()),
              this::onCall);
    }

    String endpoint() {
      return "tcp://127.0.0.1:" + server.port();
    }

    String publicKey() {
      return CurveKeys.encodeZ85(curve.publicKey());
    }

    ServerStream awaitStream(String agentId) {
      await("order stream of " + agentId).atMost(WAIT).until(() -> streams.containsKey(agentId));
      return streams.get(agentId);
    }

    private void onCall(ServerCall call) {
      Message m = MessageCodec.decode(call.args().get(0));
      if (m instanceof Register r) {
        call.reply(
            MessageCodec.ack(
                MessageTypes.REGISTER,
                r.id(),
                Map.of(
                    "heartbeat", ValueFactory.newInteger(1),
                    "session", ValueFactory.newString("s1"),
                    "key", ValueFactory.newString("accepted"),
                    "order_key", ValueFactory.newString(orderKey))));
      } else if (m instanceof Heartbeat h) {
        call.reply(
            MessageCodec.ack(
                MessageTypes.HEARTBEAT,
                h.id(),
                Map.of(
                    "session", ValueFactory.newString("s1"),
                    "key", ValueFactory.newString("accepted"))));
      } else if (m instanceof Subscribe s) {
        ServerStream stream = call.openStream();
        stream.send(MessageCodec.encode(new Subscribed(s.id())));
        streams.put(s.id(), stream);
      } else if (m instanceof Result r) {
        results.put(r.id(), r);
        call.reply(
            MessageCodec.ack(
                MessageTypes.RESULT, r.id(), Map.of("duplicate", ValueFactory.newBoolean(false))));
      } else if (m instanceof OutputChunk o) {
        call.reply(MessageCodec.ack(MessageTypes.OUTPUT, o.id(), Map.of()));
      } else {
        call.error("BadRequest", "the stand-in master does not serve " + m.type());
      }
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
