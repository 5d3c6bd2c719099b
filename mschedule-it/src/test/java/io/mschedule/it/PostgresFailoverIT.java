package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two masters on a PostgreSQL primary with a synchronous streaming standby; the JDBC URL lists both
 * servers with {@code targetServerType=primary}. The primary crashes while a task runs and the
 * standby is promoted, as a failover manager would: the masters reconnect to the new primary, the
 * task ends SUCCEEDED with every result recorded once, a new task runs, and both APIs answered
 * every request meanwhile (200, or 503 while no primary was reachable).
 */
class PostgresFailoverIT {
  static final int AGENTS = 3;
  static final String DB = "mschedule_pgha";

  @TempDir Path dir;

  Masters ha;
  final List<Api> apis = new ArrayList<>();

  JsonNode task(String id) {
    return apis.get(1).ok("/api/v1/tasks/" + id);
  }

  @Test
  void masters_survive_a_promoted_standby() throws Exception {
    Path markers = Files.createDirectories(dir.resolve("markers"));
    try (StreamingPostgres pg =
        StreamingPostgres.start(dir.resolve("pg"), dir.resolve("logs/postgres.out"), DB)) {
      String url = pg.url(DB);
      try {
        ha = new Masters(dir, url, 1, 6);
        ha.start(2);
        apis.addAll(List.of(ha.apis.get(1), ha.apis.get(2)));
        for (int i = 1; i <= AGENTS; i++) {
          ha.startAgent("pgha-" + i, List.of(1, 2));
        }
        await("agents online")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  int n = 0;
                  for (JsonNode a : apis.get(0).ok("/api/v1/agents")) {
                    n += a.get("state").asText().equals("online") ? 1 : 0;
                  }
                  return n == AGENTS;
                });

        Api.Response submitted =
            apis.get(0)
                .post(
                    "/api/v1/tasks",
                    Map.of(
                        "script",
                        "echo start >> "
                            + markers
                            + "/$MSCHEDULE_AGENT_ID; sleep 4; echo done-$MSCHEDULE_AGENT_ID",
                        "targets",
                        List.of("all")));
        assertThat(submitted.status()).as(String.valueOf(submitted.body())).isEqualTo(201);
        String id = submitted.body().get("id").asText();
        await("every run running")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> task(id).get("counts").path("RUNNING").asInt() == AGENTS);

        // both APIs answer throughout: 200, or 503 while no primary is reachable
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor();
        prober.scheduleAtFixedRate(
            () -> {
              for (Api api : apis) {
                int status;
                try {
                  status = api.get("/api/v1/tasks/" + id).status();
                } catch (RuntimeException e) {
                  status = -1;
                }
                statuses.merge(status, 1, Integer::sum);
              }
            },
            0,
            200,
            TimeUnit.MILLISECONDS);

        pg.crashPrimary();
        pg.promoteStandby();

        await("the task ends on the new primary")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(250))
            .ignoreExceptions()
            .until(() -> task(id).get("finished_at").isTextual());
        JsonNode t = task(id);
        assertThat(t.get("state").asText()).as(t.toString()).isEqualTo("SUCCEEDED");
        for (JsonNode r : t.get("runs")) {
          String agentId = r.get("agent_id").asText();
          assertThat(r.get("state").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
          assertThat(r.get("output").asText()).isEqualTo("done-" + agentId + "\n");
          assertThat(Files.readAllLines(markers.resolve(agentId)))
              .as("starts on " + agentId)
              .containsExactly("start");
        }
        assertThat(t.get("runs")).hasSize(AGENTS);

        // after the failover: a new task, submitted on the other master, runs everywhere
        Api.Response after =
            apis.get(1)
                .post("/api/v1/tasks", Map.of("script", "echo after", "targets", List.of("all")));
        assertThat(after.status()).as(String.valueOf(after.body())).isEqualTo(201);
        String second = after.body().get("id").asText();
        await("the second task ends")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> task(second).get("finished_at").isTextual());
        assertThat(task(second).get("state").asText()).isEqualTo("SUCCEEDED");

        prober.shutdown();
        assertThat(prober.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(statuses.keySet()).as("API statuses %s", statuses).isSubsetOf(200, 503);
        assertThat(statuses.getOrDefault(200, 0)).isGreaterThan(10);

        // the standby, now primary, holds each result once
        try (Connection c = StreamingPostgres.connect(pg.standbyPort(), DB);
            Statement st = c.createStatement();
            ResultSet rs =
                st.executeQuery(
                    "SELECT count(*) FROM runs WHERE task_id = '"
                        + id
                        + "' AND state = 'SUCCEEDED'")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).isEqualTo(AGENTS);
        }
      } finally {
        if (ha != null) {
          ha.close();
        }
      }
    }
  }
}
