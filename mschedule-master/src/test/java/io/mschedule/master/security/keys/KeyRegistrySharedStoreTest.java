package io.mschedule.master.security.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.audit.AuditLog;
import io.mschedule.master.store.KeyState;
import io.mschedule.master.store.jdbc.Database;
import io.mschedule.master.store.jdbc.TestDatabase;
import io.mschedule.protocol.test.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two masters' key registries on one database: a key admitted on one is learnt by the other. */
class KeyRegistrySharedStoreTest {
  @TempDir Path dir;
  Database db;
  final TestClock clock = new TestClock(Instant.parse("2026-06-01T09:00:00Z"));

  @BeforeEach
  void open() {
    db = Database.open(TestDatabase.migratedH2(dir, 2));
  }

  @AfterEach
  void close() {
    db.close();
  }

  KeyRegistry registry(Path data) {
    return new KeyRegistry(
        db.keyStore(),
        new JoinTokens(data, clock),
        clock,
        AuditLog.NONE,
        new PendingLimits(100, clock));
  }

  @Test
  void a_key_admitted_through_another_master_is_learnt_from_the_store() throws Exception {
    Path m2 = java.nio.file.Files.createDirectories(dir.resolve("m2"));
    String token = new JoinTokens(m2, clock).create(Duration.ofHours(1), "admin").value();
    KeyRegistry first = registry(java.nio.file.Files.createDirectories(dir.resolve("m1")));
    KeyRegistry second = registry(m2);

    assertThat(second.admit("a1", "pubkey-a1", token, null)).isEqualTo(KeyState.ACCEPTED);

    assertThat(first.stateOf("a1")).isEmpty();
    assertThat(first.learn("a1")).contains(KeyState.ACCEPTED);
    assertThat(first.stateOf("a1")).contains(KeyState.ACCEPTED);
    assertThat(first.learn("nobody")).isEmpty();
  }

  @Test
  void decisions_made_through_another_master_are_taken_up_on_refresh() throws Exception {
    KeyRegistry first = registry(java.nio.file.Files.createDirectories(dir.resolve("m1")));
    KeyRegistry second = registry(java.nio.file.Files.createDirectories(dir.resolve("m2")));
    assertThat(first.admit("a1", "pubkey-a1", null, null)).isEqualTo(KeyState.PENDING);
    assertThat(first.admit("a2", "pubkey-a2", null, null)).isEqualTo(KeyState.PENDING);
    assertThat(second.refresh()).isZero(); // learnt, nothing changed here
    assertThat(second.stateOf("a1")).contains(KeyState.PENDING);
    java.util.List<String> told = new java.util.ArrayList<>();
    first.addListener(k -> told.add(k.agentId() + "=" + k.state()));

    second.reject("a1", "admin");
    second.delete("a2", "admin");

    assertThat(first.allowConnection("pubkey-a1")).isTrue(); // not taken up yet
    assertThat(first.refresh()).isEqualTo(2);
    assertThat(first.stateOf("a1")).contains(KeyState.REJECTED);
    assertThat(first.allowConnection("pubkey-a1")).isFalse();
    assertThat(first.stateOf("a2")).isEmpty();
    assertThat(told).containsExactlyInAnyOrder("a1=REJECTED", "a2=null");
    assertThat(first.refresh()).isZero();
  }
}
