package io.mschedule.master.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mschedule.master.config.MasterConfig;
import io.mschedule.master.store.jdbc.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two masters on one database: each registers itself, and either API lists both. */
class ClusterApiTest {
  @TempDir Path dir;

  private Map<String, String> settings(String api) {
    return Map.of(
        MasterConfig.DB_URL,
        Database.embeddedUrl(dir.resolve("shared")),
        MasterConfig.MASTER_DEAD_AFTER,
        "2",
        MasterConfig.ADVERTISE_API,
        api);
  }

  private static JsonNode master(JsonNode cluster, String id) {
    for (JsonNode m : cluster.get("masters")) {
      if (m.get("id").asText().equals(id)) {
        return m;
      }
    }
    throw new AssertionError("no master " + id + " in " + cluster);
  }

  @Test
  void every_master_lists_the_cluster_and_a_stopped_master_turns_dead() throws Exception {
    try (TestMaster a = new TestMaster(dir.resolve("a"), settings("https://a.example:8443"))) {
      String idB;
      try (TestMaster b = new TestMaster(dir.resolve("b"), settings("https://b.example:8443"))) {
        idB = b.server.masterId();
        String idA = a.server.masterId();
        assertThat(idA).isNotEqualTo(idB);
        TestMaster.Response r = b.get("/api/v1/cluster", a.adminToken()); // tokens are shared
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("self").asText()).isEqualTo(idB);
        JsonNode ma = master(r.body(), idA);
        assertThat(ma.get("state").asText()).isEqualTo("live");
        assertThat(ma.get("api_url").asText()).isEqualTo("https://a.example:8443");
        assertThat(ma.get("agent_endpoint").asText())
            .isEqualTo("tcp://127.0.0.1:" + a.server.agentPort());
        assertThat(ma.get("self").asBoolean()).isFalse();
        assertThat(master(r.body(), idB).get("self").asBoolean()).isTrue();
        assertThat(r.body().get("masters")).hasSize(2);
      }
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  master(a.get("/api/v1/cluster", a.adminToken()).body(), idB)
                      .get("state")
                      .asText()
                      .equals("dead"));
      assertThat(a.get("/api/v1/cluster", null).status()).isEqualTo(401);
    }
  }

  @Test
  void a_restarted_master_keeps_its_id() throws Exception {
    String id;
    try (TestMaster a = new TestMaster(dir.resolve("a"), Map.of())) {
      id = a.server.masterId();
    }
    try (TestMaster a = new TestMaster(dir.resolve("a"), Map.of())) {
      assertThat(a.server.masterId()).isEqualTo(id);
      JsonNode cluster = a.get("/api/v1/cluster", a.adminToken()).body();
      assertThat(cluster.get("masters")).hasSize(1);
      assertThat(master(cluster, id).get("api_url").asText())
          .isEqualTo("http://127.0.0.1:" + a.server.httpPort());
    }
  }
}
