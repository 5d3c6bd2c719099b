package io.mschedule.master.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mschedule.master.rpc.OrderBatch;
import io.mschedule.master.store.jdbc.Database;
import io.mschedule.master.store.jdbc.TestDatabase;
import io.mschedule.protocol.message.RelayMessages;
import io.mschedule.protocol.test.TestClock;
import io.mschedule.protocol.zerorpc.ServerStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.value.Value;

/** Relays, their agents and who is unreachable, on a real H2 store with a clock the tests move. */
class RelayRegistryTest {
  static final Instant T0 = Instant.parse("2026-04-01T08:00:00Z");
  static final Duration GRACE = Duration.ofSeconds(300);
  static final Duration HEARTBEAT = Duration.ofSeconds(5);
  static final String RELAY = "0123456789abcdef0123456789abcdef";

  @TempDir Path dir;
  Database db;
  TestClock clock = new TestClock(T0);
  RelayRegistry relays;

  /** The relay's end of its order stream: open until closed, keeps what it is sent. */
  static final class RelayEnd implements ServerStream {
    final List<Value> sent = new ArrayList<>();
    private final List<Runnable> listeners = new ArrayList<>();
    boolean open = true;

    @Override
    public synchronized boolean send(Value item) {
      return open && sent.add(item);
    }

    @Override
    public void done() {
      close();
    }

    @Override
    public void error(String name, String message) {
      close();
    }

    void close() {
      if (open) {
        open = false;
        listeners.forEach(Runnable::run);
      }
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void onClose(Runnable listener) {
      listeners.add(listener);
    }
  }

  @BeforeEach
  void open() {
    db = Database.open(TestDatabase.migratedH2(dir, 2));
    relays = new RelayRegistry(db.relayStore(), clock, GRACE, HEARTBEAT);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private RelayLink connect() {
    relays.registered(
        new RelayMessages.Registration(RELAY, "east", "tcp://r:5556", 0, "0.1.0", null));
    RelayLink link = new RelayLink(RELAY, new RelayEnd());
    relays.attach(link);
    relays.agentVia("agent-1", RELAY);
    return link;
  }

  @Test
  void an_agent_behind_a_relay_that_falls_silent_is_unreachable_and_the_relay_offline() {
    connect();
    assertThat(relays.relayOf("agent-1")).contains(RELAY);
    assertThat(relays.datacenterOf("agent-1")).contains("east");
    assertThat(relays.unreachable("agent-1")).isFalse();
    assertThat(relays.list()).extracting(RelayRegistry.RelayView::state).containsExactly("online");

    clock.advance(HEARTBEAT.multipliedBy(2).plusSeconds(1));
    assertThat(relays.unreachable("agent-1")).isTrue();
    assertThat(relays.list()).extracting(RelayRegistry.RelayView::state).containsExactly("offline");

    relays.heartbeat(RELAY, 42);
    assertThat(relays.unreachable("agent-1")).isFalse();
    assertThat(relays.list().get(0).spoolBytes()).isEqualTo(42);
  }

  @Test
  void when_the_relay_is_back_its_agents_stay_unreachable_until_they_come_through_it_again() {
    RelayLink link = connect();
    relays.agentVia("agent-2", RELAY);
    relays.detach(link);
    clock.advance(Duration.ofSeconds(60)); // a WAN cut: the master last heard of them 60 s ago
    relays.attach(new RelayLink(RELAY, new RelayEnd()));
    assertThat(relays.unreachable("agent-1")).isTrue();
    assertThat(relays.unreachable("agent-2")).isTrue();

    clock.advance(Duration.ofMillis(100));
    relays.agentVia("agent-1", RELAY); // the relay subscribed again for agent-1
    assertThat(relays.unreachable("agent-1")).isFalse();
    assertThat(relays.unreachable("agent-2")).isTrue();

    clock.advance(HEARTBEAT.multipliedBy(2)); // agent-2 never came back: no longer held
    relays.heartbeat(RELAY, 0);
    assertThat(relays.unreachable("agent-2")).isFalse();
    assertThat(relays.unreachable("agent-1")).isFalse();
  }

  @Test
  void after_the_relays_session_ends_its_agents_are_unreachable_for_the_grace_only() {
    RelayLink link = connect();
    relays.detach(link);
    assertThat(relays.unreachable("agent-1")).isTrue();
    clock.advance(GRACE.minusSeconds(1));
    assertThat(relays.unreachable("agent-1")).isTrue();
    clock.advance(Duration.ofSeconds(2));
    assertThat(relays.unreachable("agent-1")).isFalse();
    assertThat(relays.unreachable("agent-never-behind-a-relay")).isFalse();
  }

  @Test
  void an_agent_that_registers_directly_is_no_longer_behind_the_relay() {
    connect();
    relays.agentDirect("agent-1");
    assertThat(relays.relayOf("agent-1")).isEmpty();
    assertThat(relays.unreachable("agent-1")).isFalse();
  }

  @Test
  void a_restarted_master_lists_the_known_relays_offline() {
    RelayLink link = connect();
    relays.detach(link);
    RelayRegistry again = new RelayRegistry(db.relayStore(), clock, GRACE, HEARTBEAT);
    assertThat(again.list())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.id()).isEqualTo(RELAY);
              assertThat(r.datacenter()).isEqualTo("east");
              assertThat(r.address()).isEqualTo("tcp://r:5556");
              assertThat(r.state()).isEqualTo("offline");
              assertThat(r.agents()).isZero();
            });
  }

  @Test
  void a_fan_out_to_agents_behind_one_relay_sends_the_order_once() throws Exception {
    RelayEnd end = new RelayEnd();
    RelayLink link = new RelayLink(RELAY, end, TimeUnit.HOURS.toMicros(1));
    RelayedStream a = link.open("agent-a");
    RelayedStream b = link.open("agent-b");
    Value order = org.msgpack.value.ValueFactory.newString("the task order");
    assertThat(a.send(order)).isTrue();
    assertThat(b.send(order)).isTrue();
    assertThat(end.sent).isEmpty();
    link.flush();
    assertThat(end.sent).hasSize(1);
    RelayMessages.Item item = RelayMessages.decodeItem(end.sent.get(0));
    assertThat(item).isEqualTo(new RelayMessages.OrderItem(List.of(a.number(), b.number()), order));
  }

  @Test
  void a_fan_out_handed_out_together_leaves_as_one_order_however_slow_its_sender() {
    RelayEnd end = new RelayEnd();
    RelayLink link = new RelayLink(RELAY, end, 0); // no window: a lone order leaves at once
    RelayedStream a = link.open("agent-a");
    RelayedStream b = link.open("agent-b");
    Value order = org.msgpack.value.ValueFactory.newString("the task order");
    OrderBatch.of(
        () -> {
          assertThat(a.send(order)).isTrue();
          // the sender pauses: nothing leaves before the fan-out's last order is queued
          await()
              .during(Duration.ofMillis(100))
              .atMost(Duration.ofSeconds(2))
              .until(() -> sentCount(end) == 0);
          assertThat(b.send(order)).isTrue();
        });
    await().atMost(Duration.ofSeconds(5)).until(() -> sentCount(end) > 0);
    assertThat(sentCount(end)).isEqualTo(1);
    assertThat(RelayMessages.decodeItem(end.sent.get(0)))
        .isEqualTo(new RelayMessages.OrderItem(List.of(a.number(), b.number()), order));
  }

  private static int sentCount(RelayEnd end) {
    synchronized (end) {
      return end.sent.size();
    }
  }
}
