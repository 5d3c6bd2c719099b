package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A master on PostgreSQL whose database goes away mid-task and comes back: the master keeps its
 * agents, its API answers 503 meanwhile, and afterwards every result is recorded once (the agents
 * keep unacknowledged results in their spool and send them again).
 */
@Tag("chaos")
class ChaosPostgresIT {
  @TempDir Path dir;

  @Test
  void a_database_outage_mid_task_loses_no_result() {
    try (RestartablePostgres pg =
            RestartablePostgres.start(dir.resolve("pg"), dir.resolve("logs/postgres.out"));
        Cluster c =
            Cluster.create(dir, 1)
                .masterArgs("--db-url", pg.createDatabase("mschedule_chaos"))
                .masterEnv("MSCHEDULE_DB_USER", "postgres")
                .masterEnv("MSCHEDULE_OFFLINE_AFTER_MISSED", "4")
                .up(2)) {
      String id =
          c.submit(
              Map.of(
                  "script",
                  "sleep 2; echo recorded-$MSCHEDULE_AGENT_ID",
                  "targets",
                  List.of("all"),
                  "parallel",
                  0));
      await("both runs running")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> c.api.ok("/api/v1/tasks/" + id).get("counts").path("RUNNING").asInt() == 2);

      pg.stop();
      long downSince = System.nanoTime();
      Api.Response during = c.api.get("/api/v1/tasks/" + id);
      assertThat(during.status()).as(String.valueOf(during.body())).isEqualTo(503);
      assertThat(during.body().get("status").asInt()).isEqualTo(503);
      assertThat(during.body().get("error").asText()).startsWith("the database is unavailable: ");
      // the scripts end while the database is down: their results wait in the agents' spools
      long left = Duration.ofSeconds(8).toNanos() - (System.nanoTime() - downSince);
      ChaosIT.hold(Duration.ofNanos(Math.max(0, left)));
      pg.restart();

      JsonNode t = c.awaitEnd(id, Duration.ofSeconds(60));
      assertThat(t.get("state").asText()).as(t.toString()).isEqualTo("SUCCEEDED");
      assertThat(t.get("runs")).hasSize(2);
      for (JsonNode r : t.get("runs")) {
        assertThat(r.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(r.get("code").asInt()).isZero();
        assertThat(r.get("output").asText())
            .isEqualTo("recorded-" + r.get("agent_id").asText() + "\n");
      }
      ChaosIT.awaitSpoolsEmpty(c, 2);
      // the master kept its agents through the outage
      assertThat(c.master().log()).doesNotContain("went offline");
      assertThat(c.countState("online")).isEqualTo(2);
      // and serves new tasks
      String after =
          c.submit(Map.of("script", "echo back", "targets", List.of("all"), "parallel", 0));
      assertThat(c.awaitEnd(after, Duration.ofSeconds(30)).get("state").asText())
          .isEqualTo("SUCCEEDED");
    }
  }
}
