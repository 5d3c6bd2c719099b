package io.mschedule.master.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.store.ApiToken;
import io.mschedule.master.store.AuditEntry;
import io.mschedule.master.store.AuditQuery;
import io.mschedule.master.store.AuditStore;
import io.mschedule.master.store.Role;
import io.mschedule.master.store.TokenStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The token and audit tables, on every supported database. */
abstract class SecurityTablesContractTest extends StoreContractSupport {
  private static final Instant T0 = Instant.parse("2026-11-27T03:15:30.123Z");

  @Test
  void tokensAreFoundByHashAndRevokedOnce() {
    TokenStore s = SecurityTables.tokens(db);
    s.insert(new ApiToken("t1", "admin", Role.ADMIN, T0, "system", null, null, null, null), "h1");
    s.insert(
        new ApiToken("t2", "ci", Role.VIEWER, T0.plusSeconds(1), "admin", null, null, null, null),
        "h2");
    assertThat(s.findByHash("h2")).map(ApiToken::name).hasValue("ci");
    assertThat(s.findByHash("nope")).isEmpty();
    assertThat(s.find("t1")).map(ApiToken::role).hasValue(Role.ADMIN);
    assertThat(s.all()).extracting(ApiToken::id).containsExactly("t1", "t2");
    assertThat(s.countActive(Role.ADMIN, T0)).isEqualTo(1);
    assertThat(s.countActive(Role.OPERATOR, T0)).isZero();

    assertThat(s.revoke("t1", T0.plusSeconds(5), "admin")).isTrue();
    assertThat(s.revoke("t1", T0.plusSeconds(6), "admin")).isFalse();
    assertThat(s.revoke("missing", T0, "admin")).isFalse();
    ApiToken t1 = s.find("t1").orElseThrow();
    assertThat(t1.revokedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(t1.revokedBy()).isEqualTo("admin");
    assertThat(s.countActive(Role.ADMIN, T0)).isZero();

    reopen();
    assertThat(SecurityTables.tokens(db).findByHash("h1").orElseThrow().revoked()).isTrue();
  }

  @Test
  void expiredTokensAreNotActiveAndLastUseIsKept() {
    TokenStore s = SecurityTables.tokens(db);
    Instant expiry = T0.plusSeconds(3600);
    s.insert(new ApiToken("t1", "a1", Role.ADMIN, T0, "system", null, null, expiry, null), "h1");
    s.insert(new ApiToken("t2", "a2", Role.ADMIN, T0, "system", null, null, null, null), "h2");
    assertThat(s.countActive(Role.ADMIN, T0)).isEqualTo(2);
    assertThat(s.countActive(Role.ADMIN, expiry.minusMillis(1))).isEqualTo(2);
    assertThat(s.countActive(Role.ADMIN, expiry)).isEqualTo(1);
    assertThat(s.find("t1").orElseThrow().expiresAt()).isEqualTo(expiry);
    assertThat(s.find("t2").orElseThrow().expiresAt()).isNull();

    assertThat(s.find("t2").orElseThrow().lastUsedAt()).isNull();
    s.touch("t2", T0.plusMillis(42));
    reopen();
    TokenStore again = SecurityTables.tokens(db);
    assertThat(again.findByHash("h2").orElseThrow().lastUsedAt()).isEqualTo(T0.plusMillis(42));
    assertThat(again.find("t1").orElseThrow().lastUsedAt()).isNull();
  }

  @Test
  void auditEntriesComeBackNewestFirst() {
    AuditStore a = SecurityTables.audit(db);
    a.append(T0, "admin", "token.create", "t2", "name=ci role=viewer");
    a.append(T0.plusMillis(1), "ci", "task.submit", "task-1", "script sha256=ab");
    a.append(T0.plusMillis(1), "anonymous", "login.fail", "127.0.0.1", null);
    List<AuditEntry> recent = a.recent(2);
    assertThat(recent).extracting(AuditEntry::action).containsExactly("login.fail", "task.submit");
    assertThat(recent.get(0).id()).isGreaterThan(recent.get(1).id());
    assertThat(recent.get(0).detail()).isNull();
    assertThat(recent.get(1).at()).isEqualTo(T0.plusMillis(1));
    assertThat(a.recent(10)).hasSize(3);
    assertThat(a.recent(0)).isEmpty();
  }

  @Test
  void auditEntriesAreFilteredByActorActionFamilyAndTime() {
    AuditStore a = SecurityTables.audit(db);
    a.append(T0, "admin", "token.create", "t2", null);
    a.append(T0.plusSeconds(10), "ci", "task.submit", "task-1", null);
    a.append(T0.plusSeconds(20), "ci", "task.kill", "task-1", null);
    a.append(T0.plusSeconds(30), "ci", "tasks_x.odd", "x", null);

    assertThat(a.find(new AuditQuery("ci", null, null, null, 10)))
        .extracting(AuditEntry::action)
        .containsExactly("tasks_x.odd", "task.kill", "task.submit");
    assertThat(a.find(new AuditQuery(null, "task", null, null, 10)))
        .extracting(AuditEntry::action)
        .containsExactly("task.kill", "task.submit");
    assertThat(a.find(new AuditQuery(null, "task.kill", null, null, 10)))
        .extracting(AuditEntry::target)
        .containsExactly("task-1");
    assertThat(a.find(new AuditQuery(null, "task_", null, null, 10))).isEmpty();
    assertThat(a.find(new AuditQuery(null, null, T0.plusSeconds(10), T0.plusSeconds(30), 10)))
        .extracting(AuditEntry::action)
        .containsExactly("task.kill", "task.submit");
    assertThat(a.find(new AuditQuery("ci", "task", null, null, 1)))
        .extracting(AuditEntry::action)
        .containsExactly("task.kill");
  }
}
