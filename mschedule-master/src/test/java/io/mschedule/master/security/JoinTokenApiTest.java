package io.mschedule.master.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mschedule.protocol.test.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/join-tokens} on a real master: admin only, audited, revocation at once. */
class JoinTokenApiTest {
  @TempDir Path dir;
  private final TestClock clock = new TestClock(Instant.parse("2026-06-01T09:00:00Z"));
  private TestMaster master;

  @AfterEach
  void close() {
    master.close();
  }

  @Test
  void anAdminCreatesListsAndRevokesJoinTokens() throws Exception {
    master = new TestMaster(dir, Map.of(), clock);
    String admin = master.adminToken();
    String operator = master.createToken("operator", "ops").get("token").asText();
    assertThat(master.get("/api/v1/join-tokens", operator).status()).isEqualTo(403);
    assertThat(master.post("/api/v1/join-tokens", operator, Map.of()).status()).isEqualTo(403);

    TestMaster.Response created =
        master.post("/api/v1/join-tokens", admin, Map.of("ttl_seconds", 3600));
    assertThat(created.status()).isEqualTo(201);
    String token = created.body().get("token").asText();
    String id = created.body().get("id").asText();
    assertThat(token).startsWith("msj_");
    assertThat(created.body().get("expires_at").asText()).isEqualTo("2026-06-01T10:00:00Z");
    assertThat(created.body().get("created_by").asText()).isEqualTo("admin");
    assertThat(master.server.joinTokens().valid(token)).isTrue();

    TestMaster.Response byDefault = master.post("/api/v1/join-tokens", admin, Map.of());
    assertThat(byDefault.body().get("expires_at").asText()).isEqualTo("2026-06-02T09:00:00Z");

    JsonNode list = master.get("/api/v1/join-tokens", admin).body();
    assertThat(list).hasSize(2);
    assertThat(list.get(0).get("id").asText()).isEqualTo(id);
    assertThat(list.get(0).get("expired").asBoolean()).isFalse();
    assertThat(list.toString()).doesNotContain("msj_");

    TestMaster.Response revoked = master.post("/api/v1/join-tokens/" + id + "/revoke", admin, null);
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.body().get("id").asText()).isEqualTo(id);
    assertThat(master.server.joinTokens().valid(token)).isFalse();
    assertThat(master.post("/api/v1/join-tokens/" + id + "/revoke", admin, null).status())
        .isEqualTo(404);
    assertThat(
            master.post("/api/v1/join-tokens/ab/revoke", admin, null).body().get("field").asText())
        .isEqualTo("id");
    for (Object bad : new Object[] {0, 400L * 24 * 3600, "1h"}) {
      TestMaster.Response r = master.post("/api/v1/join-tokens", admin, Map.of("ttl_seconds", bad));
      assertThat(r.status()).as("ttl_seconds %s", bad).isEqualTo(400);
      assertThat(r.body().get("field").asText()).isEqualTo("ttl_seconds");
    }

    clock.advance(Duration.ofDays(2));
    assertThat(master.get("/api/v1/join-tokens", admin).body().get(0).get("expired").asBoolean())
        .isTrue();
    JsonNode audit = master.get("/api/v1/audit?limit=20", admin).body();
    assertThat(audit.findValuesAsText("action")).contains("join-token.create", "join-token.revoke");
  }
}
