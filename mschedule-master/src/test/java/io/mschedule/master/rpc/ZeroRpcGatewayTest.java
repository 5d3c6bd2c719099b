package io.mschedule.master.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.task.RetryPolicy;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Script;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskFiles;
import io.mschedule.master.task.TaskOrigin;
import io.mschedule.master.task.TaskState;
import io.mschedule.protocol.message.KillOrder;
import io.mschedule.protocol.message.Message;
import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.message.TaskOrder;
import io.mschedule.protocol.signing.OrderSigner;
import io.mschedule.protocol.signing.OrderVerifier;
import io.mschedule.protocol.test.TestClock;
import io.mschedule.protocol.zerorpc.ServerStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/** Every order the gateway sends is signed; a fan-out shares one signed order. */
class ZeroRpcGatewayTest {
  static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

  private final TestClock clock = new TestClock(T0);
  private final KeyPair keys = generate();
  private final AgentLinks links = new AgentLinks();
  private final ZeroRpcGateway gateway =
      new ZeroRpcGateway(links, new OrderSigner(keys.getPrivate()), clock);
  private final OrderVerifier verifier = new OrderVerifier(keys.getPublic());
  private final Task task = task();

  @Test
  void aFanOutSendsOneSignedOrderToEveryAgent() {
    Recorder a = link("a1");
    Recorder b = link("a2");
    assertThat(gateway.start(task, run("a1", 1))).isTrue();
    clock.advance(Duration.ofSeconds(30));
    assertThat(gateway.start(task, run("a2", 1))).isTrue();

    assertThat(b.items.get(0)).isSameAs(a.items.get(0)); // encoded and signed once
    assertValid(a.items.get(0), TaskOrder.class);
    assertThat(issuedAt(a.items.get(0))).isEqualTo(T0.toEpochMilli());
  }

  @Test
  void aLongFanOutIsSignedAgainWithAFreshIssueTime() {
    Recorder a = link("a1");
    Recorder b = link("a2");
    gateway.start(task, run("a1", 1));
    clock.advance(ZeroRpcGateway.RESIGN_AFTER);
    gateway.start(task, run("a2", 1));

    assertThat(issuedAt(b.items.get(0)))
        .isEqualTo(T0.plus(ZeroRpcGateway.RESIGN_AFTER).toEpochMilli());
    assertValid(b.items.get(0), TaskOrder.class);
    assertThat(b.items.get(0)).isNotSameAs(a.items.get(0));
  }

  @Test
  void retriesAndKillsAreSignedToo() {
    Recorder a = link("a1");
    gateway.start(task, run("a1", 3));
    gateway.kill(task, run("a1", 3));

    TaskOrder retry = (TaskOrder) assertValid(a.items.get(0), TaskOrder.class);
    assertThat(retry.attempt()).isEqualTo(3);
    KillOrder kill = (KillOrder) assertValid(a.items.get(1), KillOrder.class);
    assertThat(kill.id()).isEqualTo(task.id());
  }

  @Test
  void killingAFanOutSignsOneKillOrder() {
    Recorder a = link("a1");
    Recorder b = link("a2");
    gateway.kill(task, run("a1", 1));
    gateway.kill(task, run("a2", 1));

    assertThat(b.items.get(0)).isSameAs(a.items.get(0));
    assertValid(b.items.get(0), KillOrder.class);
  }

  private Message assertValid(Value item, Class<? extends Message> type) {
    Message m = MessageCodec.decode(item);
    assertThat(m).isInstanceOf(type);
    assertThat(verifier.problem(item, m, clock.millis())).isNull();
    return m;
  }

  private static long issuedAt(Value item) {
    return item.asMapValue()
        .map()
        .get(ValueFactory.newString("signature"))
        .asMapValue()
        .map()
        .get(ValueFactory.newString("issued_at"))
        .asIntegerValue()
        .asLong();
  }

  private Recorder link(String agentId) {
    Recorder r = new Recorder();
    links.attach(agentId, r, () -> {});
    return r;
  }

  private Run run(String agentId, int attempt) {
    return run(task, agentId, attempt);
  }

  private static Run run(Task task, String agentId, int attempt) {
    return new Run(
        task.id(),
        agentId,
        agentId,
        0,
        RunState.WAITING,
        null,
        false,
        null,
        null,
        null,
        false,
        attempt,
        null);
  }

  private static Task task() {
    return task("0f8e3c5a9b7d4e21a6c3b5d7e9f10234");
  }

  private static Task task(String id) {
    return new Task(
        id,
        TaskState.RUNNING,
        null,
        Script.of("echo hi"),
        List.of("all"),
        2,
        null,
        null,
        30,
        T0,
        null,
        "alice",
        null,
        Map.of("MODE", "fast"),
        TaskOrigin.NONE,
        TaskFiles.NONE,
        RetryPolicy.NONE);
  }

  private static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An order stream that keeps what it is sent. */
  private static final class Recorder implements ServerStream {
    final List<Value> items = new ArrayList<>();

    @Override
    public boolean send(Value item) {
      items.add(item);
      return true;
    }

    @Override
    public void done() {}

    @Override
    public void error(String name, String message) {}

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void onClose(Runnable listener) {}
  }
}
