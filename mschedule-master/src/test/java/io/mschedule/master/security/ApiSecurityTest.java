package io.mschedule.master.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.mschedule.master.config.MasterConfig;
import io.mschedule.master.store.ApiToken;
import io.mschedule.protocol.test.TestClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Tokens, roles, audit and rate limit on a real master (in this JVM, no agents). */
class ApiSecurityTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private TestMaster master(Map<String, String> settings) {
    return master(settings, Clock.systemUTC());
  }

  private TestMaster master(Map<String, String> settings, Clock clock) {
    TestMaster m = new TestMaster(dir, settings, clock);
    open.add(m);
    return m;
  }

  private TestMaster master() {
    return master(Map.of());
  }

  @Test
  void everyApiCallNeedsAToken() throws Exception {
    TestMaster m = master();
    for (String path : List.of("/api/v1/agents", "/api/v1/tasks", "/api/v1/whoami", "/api/v1/x")) {
      TestMaster.Response r = m.get(path, null);
      assertThat(r.status()).as(path).isEqualTo(401);
      assertThat(r.body().get("status").asInt()).isEqualTo(401);
      assertThat(r.body().get("error").asText()).contains("token");
      assertThat(r.raw().headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer realm=\"mschedule\"");
    }
    assertThat(m.get("/api/v1/agents", "mst_" + "A".repeat(43)).status()).isEqualTo(401);
    assertThat(m.get("/api/v1/agents", "not-a-token").status()).isEqualTo(401);
    TestMaster.Response basic =
        m.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(m.base + "/api/v1/agents"))
                .header("Authorization", "Basic " + m.adminToken())
                .GET(),
            null);
    assertThat(basic.status()).isEqualTo(401);
    assertThat(
            m.post("/api/v1/tasks", null, Map.of("script", "id", "targets", List.of("all")))
                .status())
        .isEqualTo(401);
    assertThat(m.get("/api/v1/agents", m.adminToken()).status()).isEqualTo(200);
  }

  @Test
  void staticFilesNeedNoToken() {
    TestMaster m = master();
    assertThat(m.get("/", null).status()).isNotEqualTo(401);
    assertThat(m.get("/index.html", null).status()).isNotEqualTo(401);
  }

  @Test
  void theFirstStartCreatesAnAdminTokenFileReadableByTheOwnerOnly() throws Exception {
    TestMaster m = master();
    Path file = dir.resolve("admin.token");
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    String token = m.adminToken();
    assertThat(token).startsWith("mst_").hasSizeGreaterThanOrEqualTo(4 + 43);
    JsonNode me = m.get("/api/v1/whoami", token).body();
    assertThat(me.get("name").asText()).isEqualTo("admin");
    assertThat(me.get("role").asText()).isEqualTo("admin");

    m.close();
    open.remove(m);
    TestMaster again = master();
    assertThat(again.adminToken()).isEqualTo(token);
    assertThat(again.get("/api/v1/tokens", token).body()).hasSize(1);
  }

  @Test
  void bootstrapPrintsTheTokenOnceAndLogsOnlyWhereItIs() throws Exception {
    var db =
        io.mschedule.master.store.jdbc.Database.open(
            new io.mschedule.master.store.jdbc.DatabaseConfig(
                io.mschedule.master.store.jdbc.Database.embeddedUrl(dir.resolve("db")),
                "sa",
                "",
                2));
    try (db) {
      MasterConfig cfg = MasterConfig.from(Map.of(MasterConfig.DATA_DIR, dir.toString()));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ApiSecurity.open(
              io.mschedule.master.store.jdbc.SecurityTables.tokens(db),
              io.mschedule.master.store.jdbc.SecurityTables.audit(db),
              cfg,
              java.time.Clock.systemUTC(),
              new PrintStream(out, true, StandardCharsets.UTF_8))
          .bootstrapAdmin();
      String token = Files.readString(dir.resolve("admin.token")).strip();
      assertThat(out.toString(StandardCharsets.UTF_8)).contains(token).contains("admin.token");

      ByteArrayOutputStream second = new ByteArrayOutputStream();
      ApiSecurity s =
          ApiSecurity.open(
              io.mschedule.master.store.jdbc.SecurityTables.tokens(db),
              io.mschedule.master.store.jdbc.SecurityTables.audit(db),
              cfg,
              java.time.Clock.systemUTC(),
              new PrintStream(second, true, StandardCharsets.UTF_8));
      s.bootstrapAdmin();
      assertThat(second.size()).isZero();

      // with every admin token revoked (the API refuses to revoke the last one; the database
      // can still lose it), the next start makes a new one
      var tokenStore = io.mschedule.master.store.jdbc.SecurityTables.tokens(db);
      for (ApiToken t : s.tokens().list()) {
        tokenStore.revoke(t.id(), java.time.Instant.now(), "test");
      }
      ByteArrayOutputStream third = new ByteArrayOutputStream();
      ApiSecurity.open(
              io.mschedule.master.store.jdbc.SecurityTables.tokens(db),
              io.mschedule.master.store.jdbc.SecurityTables.audit(db),
              cfg,
              java.time.Clock.systemUTC(),
              new PrintStream(third, true, StandardCharsets.UTF_8))
          .bootstrapAdmin();
      String newToken = Files.readString(dir.resolve("admin.token")).strip();
      assertThat(newToken).isNotEqualTo(token);
      assertThat(third.toString(StandardCharsets.UTF_8)).contains(newToken);
    }
  }

  @Test
  void rolesDecideWhatATokenMayDo() throws Exception {
    TestMaster m = master();
    String viewer = m.createToken("viewer", "alice").get("token").asText();
    String operator = m.createToken("operator", "bob").get("token").asText();
    Map<String, Object> task = Map.of("script", "id", "targets", List.of("all"));

    assertThat(m.get("/api/v1/agents", viewer).status()).isEqualTo(200);
    assertThat(m.get("/api/v1/tasks", viewer).status()).isEqualTo(200);
    assertThat(m.get("/api/v1/whoami", viewer).body().get("role").asText()).isEqualTo("viewer");

    TestMaster.Response denied = m.post("/api/v1/tasks", viewer, task);
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.body().get("status").asInt()).isEqualTo(403);
    assertThat(denied.body().get("error").asText()).contains("operator role").contains("alice");
    assertThat(m.post("/api/v1/tasks/t1/kill", viewer, null).status()).isEqualTo(403);

    // an operator gets past the check (400: no agent matches)
    assertThat(m.post("/api/v1/tasks", operator, task).status()).isEqualTo(400);
    assertThat(m.post("/api/v1/tasks/t1/kill", operator, null).status()).isEqualTo(404);
    for (String path : List.of("/api/v1/tokens", "/api/v1/audit", "/api/v1/keys")) {
      TestMaster.Response r = m.get(path, operator);
      assertThat(r.status()).as(path).isEqualTo(403);
      assertThat(r.body().get("error").asText()).contains("admin role");
    }
    assertThat(m.post("/api/v1/tokens", operator, Map.of("role", "admin")).status()).isEqualTo(403);
    // spellings of an admin path are still admin paths
    assertThat(m.get("/api/v1//tokens/", operator).status()).isEqualTo(403);
    assertThat(m.get("/api/v1/%74okens", operator).status()).isEqualTo(403);
    assertThat(m.get("/api/v1/TOKENS", operator).status()).isEqualTo(403);
    // a write the table does not list needs admin
    assertThat(m.post("/api/v1/agents", operator, Map.of()).status()).isEqualTo(403);
  }

  @Test
  void tokensAreShownOnceListedWithoutSecretsAndRevokedAtOnce() throws Exception {
    TestMaster m = master();
    String admin = m.adminToken();
    TestMaster.Response created =
        m.post("/api/v1/tokens", admin, Map.of("role", "viewer", "name", "ci"));
    assertThat(created.status()).isEqualTo(201);
    String id = created.body().get("id").asText();
    String secret = created.body().get("token").asText();
    assertThat(secret).startsWith("mst_");
    assertThat(created.body().get("role").asText()).isEqualTo("viewer");
    assertThat(created.body().get("name").asText()).isEqualTo("ci");
    assertThat(created.body().get("created_by").asText()).isEqualTo("admin");
    assertThat(m.get("/api/v1/agents", secret).status()).isEqualTo(200);

    TestMaster.Response list = m.get("/api/v1/tokens", admin);
    assertThat(list.body()).hasSize(2);
    assertThat(list.text())
        .doesNotContain(secret)
        .doesNotContain(Tokens.hash(secret))
        .doesNotContain(admin)
        .doesNotContain("mst_");
    JsonNode ci = list.body().get(1);
    assertThat(ci.get("id").asText()).isEqualTo(id);
    assertThat(ci.has("token")).isFalse();
    assertThat(ci.get("revoked_at").isNull()).isTrue();

    TestMaster.Response revoked = m.post("/api/v1/tokens/" + id + "/revoke", admin, null);
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.body().get("revoked_at").isTextual()).isTrue();
    assertThat(revoked.body().get("revoked_by").asText()).isEqualTo("admin");
    assertThat(m.get("/api/v1/agents", secret).status()).isEqualTo(401);
    assertThat(m.post("/api/v1/tokens/" + id + "/revoke", admin, null).status()).isEqualTo(409);
    assertThat(m.post("/api/v1/tokens/nope/revoke", admin, null).status()).isEqualTo(404);

    TestMaster.Response badRole = m.post("/api/v1/tokens", admin, Map.of("role", "root"));
    assertThat(badRole.status()).isEqualTo(400);
    assertThat(badRole.body().get("field").asText()).isEqualTo("role");
    assertThat(m.post("/api/v1/tokens", admin, Map.of("role", "viewer", "name", "a b")).status())
        .isEqualTo(400);
    assertThat(m.post("/api/v1/tokens", admin, "{").status()).isEqualTo(400);
    m.createToken("viewer", "dup");
    assertThat(m.post("/api/v1/tokens", admin, Map.of("role", "viewer", "name", "dup")).status())
        .isEqualTo(409);
    // a revoked token's name is free again
    assertThat(m.post("/api/v1/tokens", admin, Map.of("role", "viewer", "name", "ci")).status())
        .isEqualTo(201);
    JsonNode unnamed = m.post("/api/v1/tokens", admin, Map.of("role", "operator")).body();
    assertThat(unnamed.get("name").asText()).startsWith("operator-");
  }

  @Test
  void theAuditLogRecordsTokenChangesAndRefusalsRateLimited() throws Exception {
    TestMaster m = master();
    String admin = m.adminToken();
    JsonNode ci = m.createToken("viewer", "ci");
    m.post("/api/v1/tokens/" + ci.get("id").asText() + "/revoke", admin, null);
    for (int i = 0; i < 20; i++) {
      m.get("/api/v1/agents", "mst_wrong" + "x".repeat(40));
    }
    m.get("/api/v1/agents", null);

    // refusals from one address are throttled for the rest of the second (admin's too)
    JsonNode audit =
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(3))
            .until(() -> m.get("/api/v1/audit?limit=10", admin), r -> r.status() == 200)
            .body();
    List<String> rows = new ArrayList<>();
    audit.forEach(
        e ->
            rows.add(
                e.get("actor").asText()
                    + " "
                    + e.get("action").asText()
                    + " "
                    + e.get("target").asText()));
    assertThat(rows)
        .containsExactly(
            "anonymous login.fail 127.0.0.1",
            "admin token.revoke " + ci.get("id").asText(),
            "admin token.create " + ci.get("id").asText(),
            "system token.create "
                + m.get("/api/v1/tokens", admin).body().get(0).get("id").asText());
    assertThat(audit.get(0).get("detail").asText()).contains("GET /api/v1/agents");
    assertThat(audit.get(0).get("at").asText()).endsWith("Z");
    assertThat(audit.toString()).doesNotContain("mst_");

    assertThat(m.get("/api/v1/audit?limit=0", admin).status()).isEqualTo(400);
    assertThat(m.get("/api/v1/audit?limit=x", admin).body().get("field").asText())
        .isEqualTo("limit");
    assertThat(m.get("/api/v1/audit?limit=1", admin).body()).hasSize(1);
  }

  @Test
  void theAuditLogIsFilteredByActorActionAndTime() throws Exception {
    TestClock clock = new TestClock(Instant.parse("2026-06-01T09:00:00Z"));
    TestMaster m = master(Map.of(), clock);
    String admin = m.adminToken(); // system token.create at 09:00
    clock.set(Instant.parse("2026-06-02T10:00:00Z"));
    JsonNode ci = m.createToken("admin", "ci"); // admin token.create
    clock.set(Instant.parse("2026-06-03T10:00:00Z"));
    m.post("/api/v1/tokens", ci.get("token").asText(), Map.of("role", "viewer", "name", "v"));
    m.post("/api/v1/tokens/" + ci.get("id").asText() + "/revoke", admin, null);

    assertThat(actions(m.get("/api/v1/audit?actor=ci", admin).body()))
        .containsExactly("ci token.create");
    assertThat(actions(m.get("/api/v1/audit?action=token.revoke", admin).body()))
        .containsExactly("admin token.revoke");
    assertThat(actions(m.get("/api/v1/audit?action=token", admin).body())).hasSize(4);
    assertThat(actions(m.get("/api/v1/audit?action=tok", admin).body())).isEmpty();
    assertThat(
            actions(
                m.get("/api/v1/audit?since=2026-06-02&until=2026-06-03T00:00:00Z", admin).body()))
        .containsExactly("admin token.create");
    TestMaster.Response bad = m.get("/api/v1/audit?since=tomorrow", admin);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().get("field").asText()).isEqualTo("since");
  }

  private static List<String> actions(JsonNode audit) {
    List<String> out = new ArrayList<>();
    audit.forEach(e -> out.add(e.get("actor").asText() + " " + e.get("action").asText()));
    return out;
  }

  @Test
  void aTokenOverItsRateGets429() throws Exception {
    TestClock clock = new TestClock(Instant.parse("2026-06-01T09:00:00Z"));
    TestMaster m = master(Map.of(MasterConfig.API_RATE_LIMIT, "1"), clock);
    String admin = m.adminToken();
    String other = m.createToken("viewer", "other").get("token").asText();
    int ok = 0;
    TestMaster.Response limited = null;
    for (int i = 0; i < 5; i++) {
      TestMaster.Response r = m.get("/api/v1/agents", admin);
      if (r.status() == 200) {
        ok++;
      } else {
        limited = r;
      }
    }
    // a burst of twice the rate, of which creating the other token took one
    assertThat(ok).isEqualTo(1);
    assertThat(limited).isNotNull();
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.body().get("status").asInt()).isEqualTo(429);
    assertThat(limited.body().get("error").asText()).contains("1 requests per second");
    assertThat(m.get("/api/v1/agents", other).status()).isEqualTo(200);
    clock.advance(Duration.ofMillis(500)); // half a request refilled
    assertThat(m.get("/api/v1/agents", admin).status()).isEqualTo(429);
    clock.advance(Duration.ofMillis(500));
    assertThat(m.get("/api/v1/agents", admin).status()).isEqualTo(200);
    assertThat(m.get("/api/v1/agents", admin).status()).isEqualTo(429);
  }

  @Test
  void rateLimitZeroIsOff() throws Exception {
    TestMaster m = master(Map.of(MasterConfig.API_RATE_LIMIT, "0"));
    String admin = m.adminToken();
    for (int i = 0; i < 300; i++) {
      assertThat(m.get("/api/v1/whoami", admin).status()).isEqualTo(200);
    }
  }

  @Test
  void secretsNeverReachTheLogOrTheTokenList() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger ours = (Logger) LoggerFactory.getLogger("io.mschedule");
    Logger audit = (Logger) LoggerFactory.getLogger("mschedule.audit");
    Level before = root.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    // the shipped configuration's root level; mschedule's own loggers at their most verbose
    // (libraries at DEBUG may log request headers: see docs/security.md)
    root.setLevel(Level.INFO);
    ours.setLevel(Level.TRACE);
    audit.setLevel(Level.TRACE);
    String dbPassword = "db-Pa55-" + System.nanoTime();
    String secret;
    String admin;
    String listBody;
    try {
      TestMaster m = master(Map.of(MasterConfig.DB_PASSWORD, dbPassword));
      admin = m.adminToken();
      JsonNode t = m.createToken("operator", "deploy");
      secret = t.get("token").asText();
      assertThat(m.get("/api/v1/whoami", secret).status()).isEqualTo(200);
      m.post("/api/v1/tasks", secret, Map.of("script", "id", "targets", List.of("all")));
      m.post("/api/v1/tokens/" + t.get("id").asText() + "/revoke", admin, null);
      assertThat(m.get("/api/v1/whoami", secret).status()).isEqualTo(401);
      listBody = m.get("/api/v1/tokens", admin).text();
      m.close();
      open.remove(m);
    } finally {
      root.detachAppender(logs);
      root.setLevel(before);
      ours.setLevel(null);
      audit.setLevel(null);
    }
    StringBuilder all = new StringBuilder();
    for (ILoggingEvent e : logs.list) {
      all.append(e.getFormattedMessage()).append('\n');
      if (e.getThrowableProxy() != null) {
        all.append(e.getThrowableProxy().getMessage()).append('\n');
      }
    }
    assertThat(all).contains("token.create").contains("token.revoke");
    for (String s : List.of(secret, admin, Tokens.hash(secret), Tokens.hash(admin), dbPassword)) {
      assertThat(all.toString()).doesNotContain(s);
      assertThat(listBody).doesNotContain(s);
    }
    MasterConfig cfg =
        MasterConfig.from(
            Map.of(
                MasterConfig.DB_PASSWORD,
                dbPassword,
                MasterConfig.DB_URL,
                "jdbc:postgresql://db/ms?password=" + dbPassword));
    assertThat(cfg.toString()).doesNotContain(dbPassword);
  }
}
