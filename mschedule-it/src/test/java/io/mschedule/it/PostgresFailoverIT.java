package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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

  final List<JavaProcess> processes = new ArrayList<>();
  final List<Api> apis = new ArrayList<>();
  final List<Integer> agentPorts = new ArrayList<>();

  Path masterDir(int m) {
    return dir.resolve("master-" + m);
  }

  void startMaster(int m, String dbUrl) {
    int http = Ports.free();
    int agentPort = Ports.free();
    agentPorts.add(agentPort);
    processes.add(
        JavaProcess.start(
            dir.resolve("logs/master-" + m + ".out"),
            List.of(
                "master",
                "--data-dir",
                masterDir(m).toString(),
                "--db-url",
                dbUrl,
                "--agent-bind",
                "tcp://127.0.0.1:" + agentPort,
                "--http-bind",
                "127.0.0.1:" + http,
                "--heartbeat",
                "1"),
            Map.of("MSCHEDULE_DB_USER", "postgres", "MSCHEDULE_MASTER_DEAD_AFTER", "6")));
    Api api = new Api("http://127.0.0.1:" + http);
    apis.add(api);
    Path token = masterDir(1).resolve("admin.token");
    await("admin token")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> Files.exists(token) && Files.size(token) > 0);
    api.token(MultiMasterIT.read(token));
    await("API of master " + m)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> api.get("/api/v1/cluster").status() == 200);
  }

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
        startMaster(1, url);
        String joinToken =
            Cluster.lastLine(
                JavaProcess.run(
                    List.of(
                        "master",
                        "token",
                        "create",
                        "--ttl",
                        "1h",
                        "--data-dir",
                        masterDir(1).toString())));
        String key =
            Cluster.lastLine(
                JavaProcess.run(List.of("master", "key", "--data-dir", masterDir(1).toString())));
        Files.createDirectories(masterDir(2));
        for (String f :
            List.of("master.key", "master.pub", "order.key", "order.pub", "join-tokens")) {
          Files.copy(masterDir(1).resolve(f), masterDir(2).resolve(f));
        }
        startMaster(2, url);
        String list =
            "tcp://127.0.0.1:" + agentPorts.get(0) + ",tcp://127.0.0.1:" + agentPorts.get(1);
        for (int i = 1; i <= AGENTS; i++) {
          processes.add(
              JavaProcess.start(
                  dir.resolve("logs/agent-" + i + ".out"),
                  List.of(
                      "agent",
                      "--data-dir",
                      dir.resolve("agent-" + i).toString(),
                      "--master",
                      list,
                      "--master-key",
                      key,
                      "--join-token",
                      joinToken,
                      "--heartbeat",
                      "1",
                      "--name",
                      "pgha-" + i)));
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
        for (JavaProcess p : processes) {
          p.close();
        }
        keepLogs();
      }
    }
  }

  private void keepLogs() {
    Path dest = Path.of("target", "it-logs", "pg-failover-" + dir.getFileName());
    try (var files = Files.list(dir.resolve("logs"))) {
      Files.createDirectories(dest);
      for (Path f : files.toList()) {
        Files.copy(
            f, dest.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // logs are a convenience
    }
  }
}
