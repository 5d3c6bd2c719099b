package io.mschedule.master.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.store.AgentRecord;
import io.mschedule.master.store.AgentStore;
import io.mschedule.master.store.jdbc.Database;
import io.mschedule.master.store.jdbc.TestDatabase;
import io.mschedule.protocol.message.Heartbeat;
import io.mschedule.protocol.message.MessageTypes;
import io.mschedule.protocol.message.Register;
import io.mschedule.protocol.test.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry on a real (embedded H2) agent store, with a clock the tests move. */
class AgentRegistryTest {
  static final Instant T0 = Instant.parse("2026-04-01T08:00:00Z");
  static final Duration OFFLINE_AFTER = Duration.ofSeconds(30);

  @TempDir Path dir;
  final TestClock clock = new TestClock(T0);
  Database db;
  AgentStore store;
  AgentRegistry registry;
  final Events events = new Events();

  /** Every listener call, in order, as "online a1" / "offline a1". */
  static final class Events implements AgentListener {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void onOnline(String agentId) {
      calls.add("online " + agentId);
    }

    @Override
    public void onOffline(String agentId) {
      calls.add("offline " + agentId);
    }
  }

  @BeforeEach
  void open() {
    db = Database.open(TestDatabase.migratedH2(dir, 2));
    store = db.agentStore();
    registry = newRegistry();
  }

  AgentRegistry newRegistry() {
    AgentRegistry r = new AgentRegistry(store, clock, OFFLINE_AFTER);
    r.addListener(events);
    return r;
  }

  @AfterEach
  void close() {
    db.close();
  }

  static Register register(String id, String hostname, List<String> running) {
    return new Register(
        id,
        hostname,
        List.of("10.0.0.1"),
        Map.of("role", "web"),
        "1.2.3",
        MessageTypes.PROTOCOL_VERSION,
        running,
        null);
  }

  @Test
  void aRegistrationIsStoredAndTheAgentIsOnline() {
    AgentView v = registry.register(register("a1", "web-1", List.of("t9")));

    assertThat(v.online()).isTrue();
    assertThat(v.firstSeen()).isEqualTo(T0);
    assertThat(v.lastSeen()).isEqualTo(T0);
    assertThat(v.running()).containsExactly("t9");
    assertThat(v.accepted()).isTrue();
    assertThat(registry.isOnline("a1")).isTrue();
    assertThat(store.find("a1"))
        .contains(
            new AgentRecord(
                "a1", "web-1", List.of("10.0.0.1"), Map.of("role", "web"), "1.2.3", T0, T0));
    assertThat(events.calls).containsExactly("online a1");
  }

  @Test
  void registeringAgainKeepsFirstSeenAndCallsNoListener() {
    registry.register(register("a1", "web-1", List.of()));
    clock.advance(Duration.ofSeconds(5));

    AgentView v = registry.register(register("a1", "web-1b", List.of()));

    assertThat(v.firstSeen()).isEqualTo(T0);
    assertThat(v.lastSeen()).isEqualTo(T0.plusSeconds(5));
    assertThat(store.find("a1").orElseThrow().hostname()).isEqualTo("web-1b");
    assertThat(store.find("a1").orElseThrow().firstSeen()).isEqualTo(T0);
    assertThat(events.calls).containsExactly("online a1");
  }

  @Test
  void aHeartbeatFromAnUnknownAgentIsRefused() {
    assertThat(registry.heartbeat(new Heartbeat("nobody", "h", List.of(), List.of()))).isFalse();
    assertThat(registry.touch("nobody")).isFalse();
    assertThat(registry.find("nobody")).isEmpty();
    assertThat(events.calls).isEmpty();
  }

  @Test
  void aHeartbeatUpdatesLastSeenAndRunningAndWritesOnlyChangedFacts() {
    registry.register(register("a1", "web-1", List.of("t1")));
    clock.advance(Duration.ofSeconds(10));

    assertThat(registry.heartbeat(new Heartbeat("a1", "web-1", List.of("10.0.0.1"), List.of("t2"))))
        .isTrue();

    AgentView v = registry.find("a1").orElseThrow();
    assertThat(v.lastSeen()).isEqualTo(T0.plusSeconds(10));
    assertThat(v.running()).containsExactly("t2");
    // same hostname and addresses: no database write, the stored last_seen waits for the flush
    assertThat(store.find("a1").orElseThrow().lastSeen()).isEqualTo(T0);

    clock.advance(Duration.ofSeconds(10));
    registry.heartbeat(new Heartbeat("a1", "web-1-renamed", List.of("10.0.0.2"), List.of()));

    AgentRecord stored = store.find("a1").orElseThrow();
    assertThat(stored.hostname()).isEqualTo("web-1-renamed");
    assertThat(stored.ip()).containsExactly("10.0.0.2");
    assertThat(stored.lastSeen()).isEqualTo(T0.plusSeconds(20));
    assertThat(registry.find("a1").orElseThrow().running()).isEmpty();
    assertThat(events.calls).containsExactly("online a1");
  }

  @Test
  void aHeartbeatInMemoryRecordsOnlyWhatNeedsNoStoreWrite() {
    registry.register(register("a1", "web-1", List.of("t1")));
    clock.advance(Duration.ofSeconds(10));

    assertThat(
            registry.heartbeatInMemory(
                new Heartbeat("a1", "web-1", List.of("10.0.0.1"), List.of("t2"))))
        .isTrue();
    AgentView v = registry.find("a1").orElseThrow();
    assertThat(v.lastSeen()).isEqualTo(T0.plusSeconds(10));
    assertThat(v.running()).containsExactly("t2");

    clock.advance(Duration.ofSeconds(10));
    // a changed hostname is a store write: left to heartbeat(), nothing recorded here
    assertThat(registry.heartbeatInMemory(new Heartbeat("a1", "web-2", null, List.of()))).isFalse();
    assertThat(registry.find("a1").orElseThrow().lastSeen()).isEqualTo(T0.plusSeconds(10));
    assertThat(registry.find("a1").orElseThrow().running()).containsExactly("t2");
    assertThat(registry.heartbeatInMemory(new Heartbeat("nobody", null, null, List.of())))
        .isFalse();
    assertThat(store.find("a1").orElseThrow().hostname()).isEqualTo("web-1");
  }

  @Test
  void touchProvesTheAgentAlive() {
    registry.register(register("a1", "web-1", List.of()));
    clock.advance(Duration.ofSeconds(25));

    assertThat(registry.touch("a1")).isTrue();

    assertThat(registry.find("a1").orElseThrow().lastSeen()).isEqualTo(T0.plusSeconds(25));
    clock.advance(OFFLINE_AFTER);
    assertThat(registry.sweep()).as("touched 30 s ago, not more").isEmpty();
  }

  @Test
  void sweepMarksAnAgentOfflineOnlyOnceOfflineAfterHasPassed() {
    registry.register(register("a1", "web-1", List.of()));

    clock.advance(OFFLINE_AFTER);
    assertThat(registry.sweep()).isEmpty();
    assertThat(registry.isOnline("a1")).isTrue();

    clock.advance(Duration.ofMillis(1));
    assertThat(registry.sweep()).containsExactly("a1");
    assertThat(registry.isOnline("a1")).isFalse();
    assertThat(registry.find("a1").orElseThrow().state()).isEqualTo("offline");

    clock.advance(Duration.ofMinutes(5));
    assertThat(registry.sweep()).as("already offline").isEmpty();
    assertThat(events.calls).containsExactly("online a1", "offline a1");
  }

  @Test
  void anOfflineAgentThatSpeaksAgainIsOnlineAgain() {
    registry.register(register("a1", "web-1", List.of()));
    clock.advance(OFFLINE_AFTER.plusSeconds(1));
    registry.sweep();

    registry.heartbeat(new Heartbeat("a1", "web-1", List.of("10.0.0.1"), List.of()));
    registry.touch("a1");

    assertThat(registry.isOnline("a1")).isTrue();
    assertThat(events.calls).containsExactly("online a1", "offline a1", "online a1");
  }

  @Test
  void sweepLeavesAgentsThatSpokeRecently() {
    registry.register(register("a1", "web-1", List.of()));
    clock.advance(Duration.ofSeconds(20));
    registry.register(register("a2", "web-2", List.of()));
    clock.advance(Duration.ofSeconds(11));

    assertThat(registry.sweep()).containsExactly("a1");
    assertThat(registry.isOnline("a2")).isTrue();
  }

  @Test
  void drainLastSeenTakesWhatChangedSinceTheLastCall() {
    registry.register(register("a1", "web-1", List.of()));
    registry.register(register("a2", "web-2", List.of()));
    clock.advance(Duration.ofSeconds(3));
    registry.touch("a1");

    assertThat(registry.drainLastSeen()).isEqualTo(Map.of("a1", T0.plusSeconds(3), "a2", T0));
    assertThat(registry.drainLastSeen()).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    registry.touch("a2");
    assertThat(registry.drainLastSeen()).isEqualTo(Map.of("a2", T0.plusSeconds(4)));
  }

  @Test
  void agentsKnownFromTheStoreStartOfflineWithTheirStoredLastSeen() {
    registry.register(register("a1", "web-1", List.of()));
    clock.advance(Duration.ofSeconds(7));
    registry.touch("a1");
    store.touch(registry.drainLastSeen());

    AgentRegistry restarted = new AgentRegistry(store, clock, OFFLINE_AFTER);

    AgentView v = restarted.find("a1").orElseThrow();
    assertThat(v.online()).isFalse();
    assertThat(v.lastSeen()).isEqualTo(T0.plusSeconds(7));
    assertThat(restarted.sweep()).isEmpty();
  }

  @Test
  void anAgentThatRegisteredOnAnotherMasterIsLearntFromTheStoreAndShownOnlineThere() {
    AgentRegistry other = newRegistry(); // another master, started before the agent registered
    registry.register(register("a1", "web-1", List.of()));
    assertThat(other.find("a1")).isEmpty();

    other.heldElsewhere(id -> id.equals("a1"));
    other.masters(java.util.Map.of("a1", "m-2", "gone", "m-2"));

    AgentView v = other.find("a1").orElseThrow();
    assertThat(v.hostname()).isEqualTo("web-1");
    assertThat(v.master()).isEqualTo("m-2");
    assertThat(v.online()).isTrue();
    assertThat(other.isOnline("a1")).as("not online on this master itself").isFalse();
    assertThat(other.find("gone")).isEmpty();
  }

  @Test
  void allIsOrderedByHostnameThenIdAndShowsKeyStates() {
    registry.keyStates(id -> id.equals("b") ? "pending" : AgentView.KEY_ACCEPTED);
    registry.register(register("c", "zeta", List.of()));
    registry.register(register("b", "alpha", List.of()));
    registry.register(register("a", "alpha", List.of()));

    assertThat(registry.all()).extracting(AgentView::id).containsExactly("a", "b", "c");
    assertThat(registry.find("b").orElseThrow().accepted()).isFalse();
    assertThat(registry.find("b").orElseThrow().key()).isEqualTo("pending");
  }

  @Test
  void livenessLoopPassSweeps() {
    registry.register(register("a1", "web-1", List.of()));
    LivenessLoop loop = new LivenessLoop(registry);

    loop.runOnce();
    assertThat(registry.isOnline("a1")).isTrue();

    clock.advance(OFFLINE_AFTER.plusMillis(1));
    loop.runOnce();
    assertThat(registry.isOnline("a1")).isFalse();
    assertThat(events.calls).containsExactly("online a1", "offline a1");
  }

  @Test
  void lastSeenFlushLoopPassWritesTheBatch() {
    registry.register(register("a1", "web-1", List.of()));
    registry.register(register("a2", "web-2", List.of()));
    clock.advance(Duration.ofSeconds(12));
    registry.touch("a1");
    LastSeenFlushLoop loop = new LastSeenFlushLoop(registry, store, Duration.ofSeconds(10));

    loop.runOnce();

    assertThat(store.find("a1").orElseThrow().lastSeen()).isEqualTo(T0.plusSeconds(12));
    assertThat(store.find("a2").orElseThrow().lastSeen()).isEqualTo(T0);
    assertThat(registry.drainLastSeen()).as("the pass took the batch").isEmpty();

    clock.advance(Duration.ofSeconds(5));
    registry.touch("a2");
    loop.runOnce();
    assertThat(store.find("a2").orElseThrow().lastSeen()).isEqualTo(T0.plusSeconds(17));
    assertThat(store.find("a1").orElseThrow().lastSeen()).isEqualTo(T0.plusSeconds(12));
  }

  @Test
  void registrationsArrivingTogetherAreWrittenTogetherAndOnlyARowThatFailsFailsItsOwn()
      throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<List<String>> batches = new CopyOnWriteArrayList<>();
    AgentStore gated =
        new AgentStore() {
          @Override
          public void upsertAll(List<AgentRecord> agents) {
            List<String> ids = agents.stream().map(AgentRecord::id).toList();
            batches.add(ids);
            if (ids.equals(List.of("a1"))) {
              entered.countDown();
              try {
                release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            if (ids.contains("bad")) {
              throw new IllegalStateException("row refused");
            }
            store.upsertAll(agents);
          }

          @Override
          public void touch(Map<String, Instant> lastSeen) {
            store.touch(lastSeen);
          }

          @Override
          public List<AgentRecord> findAll() {
            return store.findAll();
          }

          @Override
          public boolean delete(String id) {
            return store.delete(id);
          }

          @Override
          public java.util.Optional<AgentRecord> find(String id) {
            return store.find(id);
          }
        };
    AgentRegistry r = new AgentRegistry(gated, clock, OFFLINE_AFTER);
    List<String> outcomes = new CopyOnWriteArrayList<>();
    Thread first = registering(r, "a1", outcomes);
    assertThat(entered.await(30, TimeUnit.SECONDS)).as("the first write started").isTrue();
    Thread bad = registering(r, "bad", outcomes);
    Thread second = registering(r, "a2", outcomes);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                bad.getState() == Thread.State.WAITING
                    && second.getState() == Thread.State.WAITING);
    assertThat(outcomes).as("nothing answered before it is written").isEmpty();
    release.countDown();
    for (Thread t : List.of(first, bad, second)) {
      t.join(30_000);
    }
    assertThat(outcomes)
        .containsExactlyInAnyOrder("a1 registered", "bad failed: row refused", "a2 registered");
    assertThat(batches.get(0)).containsExactly("a1");
    assertThat(batches.get(1)).containsExactlyInAnyOrder("bad", "a2"); // one transaction tried
    assertThat(store.find("a2")).isPresent();
    assertThat(store.find("bad")).isEmpty();
  }

  private static Thread registering(AgentRegistry r, String id, List<String> outcomes) {
    Thread t =
        new Thread(
            () -> {
              try {
                r.register(register(id, "host-" + id, List.of()));
                outcomes.add(id + " registered");
              } catch (RuntimeException e) {
                outcomes.add(id + " failed: " + e.getMessage());
              }
            });
    t.start();
    return t;
  }
}
