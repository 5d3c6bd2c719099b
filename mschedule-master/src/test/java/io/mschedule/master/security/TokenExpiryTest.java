package io.mschedule.master.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.mschedule.master.api.ApiException;
import io.mschedule.master.audit.AuditLog;
import io.mschedule.master.store.ApiToken;
import io.mschedule.master.store.Role;
import io.mschedule.master.store.TokenStore;
import io.mschedule.master.store.jdbc.Database;
import io.mschedule.master.store.jdbc.SecurityTables;
import io.mschedule.master.store.jdbc.TestDatabase;
import io.mschedule.protocol.test.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token expiry and last use: on the token service over H2, and through a real master's API. */
class TokenExpiryTest {
  private static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");

  @TempDir Path dir;
  private final TestClock clock = new TestClock(T0);
  private Database db;
  private TestMaster master;

  @AfterEach
  void close() {
    if (master != null) {
      master.close();
    }
    if (db != null) {
      db.close();
    }
  }

  /** The H2 token store, counting the last-use writes. */
  private final class CountingStore implements TokenStore {
    final TokenStore real = SecurityTables.tokens(db);
    final AtomicInteger touches = new AtomicInteger();

    @Override
    public void insert(ApiToken token, String secretHash) {
      real.insert(token, secretHash);
    }

    @Override
    public Optional<ApiToken> findByHash(String secretHash) {
      return real.findByHash(secretHash);
    }

    @Override
    public Optional<ApiToken> find(String id) {
      return real.find(id);
    }

    @Override
    public List<ApiToken> all() {
      return real.all();
    }

    @Override
    public boolean revoke(String id, Instant at, String by) {
      return real.revoke(id, at, by);
    }

    @Override
    public int countActive(Role role, Instant now) {
      return real.countActive(role, now);
    }

    @Override
    public void touch(String id, Instant at) {
      touches.incrementAndGet();
      real.touch(id, at);
    }
  }

  private CountingStore store() {
    db = Database.open(TestDatabase.migratedH2(dir.resolve("db"), 2));
    return new CountingStore();
  }

  private static final AuditLog NO_AUDIT = (actor, action, target, detail) -> {};

  @Test
  void aTokenExpiresAtItsTtlAndStopsCountingAsAnAdmin() {
    CountingStore store = store();
    TokenService tokens = new TokenService(store, NO_AUDIT, clock);
    tokens.create(Role.ADMIN, "forever", "system");
    TokenService.Created c = tokens.create(Role.ADMIN, "month", Duration.ofDays(30), "forever");
    assertThat(c.token().expiresAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
    assertThat(tokens.countActive(Role.ADMIN)).isEqualTo(2);

    clock.advance(Duration.ofDays(30).minusMillis(1));
    assertThat(tokens.check(c.secret())).isInstanceOf(TokenService.Check.Valid.class);
    clock.advance(Duration.ofMillis(1));
    assertThat(tokens.check(c.secret())).isInstanceOf(TokenService.Check.Expired.class);
    assertThat(tokens.authenticate(c.secret())).isEmpty();
    assertThat(tokens.countActive(Role.ADMIN)).isEqualTo(1);
    // an expired token's name is free again
    assertThat(tokens.create(Role.VIEWER, "month", "forever").token().name()).isEqualTo("month");
  }

  @Test
  void anExpiredAdminTokenDoesNotCountAsTheOtherAdminWhenRevoking() {
    TokenService tokens = new TokenService(store(), NO_AUDIT, clock);
    TokenService.Created forever = tokens.create(Role.ADMIN, "forever", "system");
    TokenService.Created day = tokens.create(Role.ADMIN, "day", Duration.ofDays(1), "forever");
    clock.advance(Duration.ofDays(1));
    assertThatThrownBy(() -> tokens.revoke(forever.token().id(), "forever"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("is the last valid admin token");
    assertThat(tokens.revoke(day.token().id(), "forever").revoked()).isTrue();
    assertThat(tokens.countActive(Role.ADMIN)).isEqualTo(1);
  }

  @Test
  void theTtlMustBePositiveAndAtMostTenYears() {
    TokenService tokens = new TokenService(store(), NO_AUDIT, clock);
    for (Duration bad : List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofDays(3651))) {
      assertThatThrownBy(() -> tokens.create(Role.VIEWER, null, bad, "admin"))
          .isInstanceOf(ApiException.class)
          .hasMessageContaining("ttl_seconds: must be 1 to 315360000");
    }
    assertThat(tokens.create(Role.VIEWER, null, Duration.ofDays(3650), "admin").token().expiresAt())
        .isEqualTo(T0.plus(Duration.ofDays(3650)));
  }

  @Test
  void lastUseIsWrittenAtMostOnceAMinutePerToken() {
    CountingStore store = store();
    TokenService tokens = new TokenService(store, NO_AUDIT, clock);
    TokenService.Created a = tokens.create(Role.VIEWER, "a", "admin");
    TokenService.Created b = tokens.create(Role.VIEWER, "b", "admin");
    assertThat(store.find(a.token().id()).orElseThrow().lastUsedAt()).isNull();

    for (int i = 0; i < 50; i++) {
      assertThat(tokens.authenticate(a.secret())).isPresent();
      clock.advance(Duration.ofMillis(100));
    }
    assertThat(store.touches).hasValue(1);
    assertThat(store.find(a.token().id()).orElseThrow().lastUsedAt()).isEqualTo(T0);

    tokens.authenticate(b.secret());
    assertThat(store.touches).hasValue(2);

    clock.set(T0.plus(LastUsed.PRECISION));
    tokens.authenticate(a.secret());
    assertThat(store.touches).hasValue(3);
    assertThat(store.find(a.token().id()).orElseThrow().lastUsedAt())
        .isEqualTo(T0.plus(LastUsed.PRECISION));

    // a new service (a restarted master) goes by what is stored
    CountingStore again = new CountingStore();
    TokenService restarted = new TokenService(again, NO_AUDIT, clock);
    clock.advance(Duration.ofSeconds(30));
    restarted.authenticate(a.secret());
    assertThat(again.touches).hasValue(0);
  }

  @Test
  void anExpiredTokenIsRefusedWith401SayingSoAndTheListShowsExpiryAndLastUse() throws Exception {
    master = new TestMaster(dir, Map.of(), clock);
    String admin = master.adminToken();
    TestMaster.Response created =
        master.post(
            "/api/v1/tokens", admin, Map.of("role", "viewer", "name", "ci", "ttl_seconds", 3600));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().get("expires_at").asText()).isEqualTo("2026-06-01T10:00:00Z");
    String ci = created.body().get("token").asText();
    assertThat(master.get("/api/v1/whoami", ci).status()).isEqualTo(200);

    JsonNode listed = listed(admin, "ci");
    assertThat(listed.get("expires_at").asText()).isEqualTo("2026-06-01T10:00:00Z");
    assertThat(listed.get("last_used").asText()).isEqualTo("2026-06-01T09:00:00Z");
    assertThat(listed(admin, "admin").get("expires_at").isNull()).isTrue();

    clock.advance(Duration.ofHours(1));
    TestMaster.Response refused = master.get("/api/v1/whoami", ci);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.body().get("error").asText())
        .isEqualTo(
            "API token 'ci' expired at 2026-06-01T10:00:00Z; ask an admin for a new one"
                + " (mschedule token create --role ROLE [--ttl 30d]), then save it with"
                + " mschedule login");
    assertThat(master.get("/api/v1/audit?limit=1", admin).body().get(0).get("detail").asText())
        .contains("token 'ci' expired");

    for (Object bad : List.of(0, -5, "1h", 1.5)) {
      TestMaster.Response r =
          master.post("/api/v1/tokens", admin, Map.of("role", "viewer", "ttl_seconds", bad));
      assertThat(r.status()).as("ttl_seconds %s", bad).isEqualTo(400);
      assertThat(r.body().get("field").asText()).isEqualTo("ttl_seconds");
    }
  }

  private JsonNode listed(String admin, String name) {
    for (JsonNode t : master.get("/api/v1/tokens", admin).body()) {
      if (t.get("name").asText().equals(name)) {
        return t;
      }
    }
    throw new AssertionError("no token " + name);
  }
}
