package io.mschedule.master.security.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mschedule.master.audit.AuditLog;
import io.mschedule.master.store.AgentKey;
import io.mschedule.master.store.KeyState;
import io.mschedule.master.store.KeyStore;
import io.mschedule.master.store.jdbc.Database;
import io.mschedule.master.store.jdbc.TestDatabase;
import io.mschedule.protocol.test.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * New keys are stored outside the registry's lock, several registrations' keys in one transaction,
 * and held in memory meanwhile: a key store that holds its first insert until told shows it.
 */
class KeyRegistryStoringTest {
  @TempDir Path dir;
  Database db;
  final TestClock clock = new TestClock(Instant.parse("2026-06-01T09:00:00Z"));
  final CountDownLatch entered = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);
  final List<List<String>> batches = new CopyOnWriteArrayList<>();
  KeyRegistry registry;

  @BeforeEach
  void open() {
    db = Database.open(TestDatabase.migratedH2(dir, 2));
    KeyStore stored = db.keyStore();
    KeyStore gated =
        new KeyStore() {
          @Override
          public List<AgentKey> findAll() {
            return stored.findAll();
          }

          @Override
          public Optional<AgentKey> find(String agentId) {
            return stored.find(agentId);
          }

          @Override
          public List<AgentKey> insertAllIfAbsent(List<AgentKey> keys) {
            List<String> ids = keys.stream().map(AgentKey::agentId).toList();
            batches.add(ids);
            if (ids.equals(List.of("a1"))) {
              entered.countDown();
              waitFor(release);
            }
            if (ids.contains("bad")) {
              throw new IllegalStateException("row refused");
            }
            return stored.insertAllIfAbsent(keys);
          }

          @Override
          public boolean update(AgentKey key) {
            return stored.update(key);
          }

          @Override
          public boolean delete(String agentId) {
            return stored.delete(agentId);
          }
        };
    registry =
        new KeyRegistry(
            gated, new JoinTokens(dir, clock), clock, AuditLog.NONE, new PendingLimits(100, clock));
  }

  @AfterEach
  void close() {
    release.countDown();
    db.close();
  }

  static void waitFor(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  CompletableFuture<KeyState> admitLater(String agentId, String key) {
    return CompletableFuture.supplyAsync(() -> registry.admit(agentId, key, null, "10.0.0.1"));
  }

  @Test
  void keys_arriving_together_are_stored_together_and_only_a_key_that_fails_fails_its_own()
      throws Exception {
    CompletableFuture<KeyState> first = admitLater("a1", "key-1");
    waitFor(entered);
    List<CompletableFuture<KeyState>> others = new ArrayList<>();
    for (String id : List.of("a2", "bad", "a3")) {
      others.add(admitLater(id, "key-" + id));
    }
    // the three wait behind the first insert, outside the lock: a decision can be asked meanwhile
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> registry.stateOf("a3").isPresent() && registry.stateOf("bad").isPresent());
    assertThat(first).isNotDone();
    assertThat(others).noneMatch(CompletableFuture::isDone);
    assertThat(db.keyStore().find("a2")).as("not answered before it is stored").isEmpty();

    release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(KeyState.PENDING);
    assertThat(others.get(0).get(10, TimeUnit.SECONDS)).isEqualTo(KeyState.PENDING);
    assertThat(others.get(2).get(10, TimeUnit.SECONDS)).isEqualTo(KeyState.PENDING);
    assertThatThrownBy(() -> others.get(1).get(10, TimeUnit.SECONDS))
        .hasRootCauseMessage("row refused");
    assertThat(batches.get(1))
        .as("stored in one batch")
        .containsExactlyInAnyOrder("a2", "bad", "a3");
    assertThat(db.keyStore().find("a3").orElseThrow().state()).isEqualTo(KeyState.PENDING);
    assertThat(db.keyStore().find("bad")).isEmpty();
    assertThat(registry.stateOf("bad")).as("the key not stored is free again").isEmpty();
  }

  @Test
  void a_key_being_stored_is_held_and_a_decision_on_it_waits_for_it() throws Exception {
    CompletableFuture<KeyState> first = admitLater("a1", "key-1");
    waitFor(entered);

    assertThatThrownBy(() -> registry.admit("intruder", "key-1", null, "10.0.0.2"))
        .isInstanceOf(KeyRefusedException.class)
        .hasMessageContaining("already belongs to agent a1");
    CompletableFuture<Boolean> accepted =
        CompletableFuture.supplyAsync(() -> registry.accept("a1", "admin"));
    CompletableFuture<KeyState> again = admitLater("a1", "key-1");
    await() // both wait while the key is not stored
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !accepted.isDone() && !again.isDone());

    release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(KeyState.PENDING);
    assertThat(accepted.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(again.get(10, TimeUnit.SECONDS)).isIn(KeyState.PENDING, KeyState.ACCEPTED);
    assertThat(db.keyStore().find("a1").orElseThrow().state())
        .as("the decision is not lost to the insert")
        .isEqualTo(KeyState.ACCEPTED);
    assertThat(registry.stateOf("a1")).contains(KeyState.ACCEPTED);
  }
}
