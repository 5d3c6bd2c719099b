package io.mschedule.master.security.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.audit.AuditLog;
import io.mschedule.master.store.KeyState;
import io.mschedule.master.store.jdbc.Database;
import io.mschedule.master.store.jdbc.DatabaseConfig;
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
    db = Database.open(new DatabaseConfig(Database.embeddedUrl(dir), "sa", "", 2));
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
}
