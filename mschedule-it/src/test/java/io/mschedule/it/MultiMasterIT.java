package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three masters on one PostgreSQL and agents that list all three. The master driving a task is
 * killed with {@code kill -9}, then its successor is paused past its lease: the task ends SUCCEEDED
 * with every result, every script started exactly once, the paused master's late writes are refused
 * (the lease's epoch moved on), and a surviving master's API answered throughout.
 */
class MultiMasterIT {
  static final int AGENTS = 6;
  static final int HEARTBEAT = 1;
  static final int DEAD_AFTER = 6;

  @TempDir Path dir;

  final List<JavaProcess> processes = new ArrayList<>();
  final Map<Integer, JavaProcess> masters = new HashMap<>();
  final Map<Integer, Api> apis = new HashMap<>();
  final Map<Integer, Integer> agentPorts = new HashMap<>();

  Path masterDir(int m) {
    return dir.resolve("master-" + m);
  }

  void startMaster(int m, String dbUrl) {
    int http = Ports.free();
    agentPorts.put(m, Ports.free());
    JavaProcess p =
        JavaProcess.start(
            dir.resolve("logs/master-" + m + ".out"),
            List.of(
                "master",
                "--data-dir",
                masterDir(m).toString(),
                "--db-url",
                dbUrl,
                "--agent-bind",
                "tcp://127.0.0.1:" + agentPorts.get(m),
                "--http-bind",
                "127.0.0.1:" + http,
                "--heartbeat",
                String.valueOf(HEARTBEAT)),
            Map.of(
                "MSCHEDULE_DB_USER",
                "postgres",
                "MSCHEDULE_MASTER_DEAD_AFTER",
                String.valueOf(DEAD_AFTER)));
    processes.add(p);
    masters.put(m, p);
    apis.put(m, new Api("http://127.0.0.1:" + http));
  }

  /** Waits for the master's API; the admin token is in the first master's data directory. */
  void awaitApi(int m) {
    Path token = masterDir(1).resolve("admin.token");
    await("admin token")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> Files.exists(token) && Files.size(token) > 0);
    apis.get(m).token(read(token));
    await("API of master " + m)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> apis.get(m).get("/api/v1/cluster").status() == 200);
  }

  static String read(Path f) {
    try {
      return Files.readString(f).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Gives masters 2 and 3 the first master's key pairs (CURVE and order) and join tokens. */
  void shareSecrets() throws IOException {
    for (int m = 2; m <= 3; m++) {
      Files.createDirectories(masterDir(m));
      for (String f :
          List.of("master.key", "master.pub", "order.key", "order.pub", "join-tokens")) {
        Files.copy(masterDir(1).resolve(f), masterDir(m).resolve(f));
      }
    }
  }

  long leaseEpoch(String url, String taskId) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "postgres", null);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT epoch FROM task_leases WHERE task_id = '" + taskId + "'")) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  String leaseHolder(String url, String taskId) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "postgres", null);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT master_id FROM task_leases WHERE task_id = '" + taskId + "'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  String masterId(int m) {
    return read(masterDir(m).resolve("master-id"));
  }

  JsonNode task(Api api, String id) {
    return api.ok("/api/v1/tasks/" + id);
  }

  int running(Api api, String id) {
    return task(api, id).get("counts").path("RUNNING").asInt();
  }

  int succeeded(Api api, String id) {
    return task(api, id).get("counts").path("SUCCEEDED").asInt();
  }

  @Test
  void a_task_survives_its_master_killed_and_its_next_master_paused() throws Exception {
    Path markers = Files.createDirectories(dir.resolve("markers"));
    try (RestartablePostgres pg =
        RestartablePostgres.start(dir.resolve("pg"), dir.resolve("logs/postgres.out"))) {
      String url = pg.createDatabase("mschedule_ha");
      try {
        startMaster(1, url);
        awaitApi(1);
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
        shareSecrets();
        startMaster(2, url);
        startMaster(3, url);
        awaitApi(2);
        awaitApi(3);
        assertThat(apis.get(3).ok("/api/v1/cluster").get("masters")).hasSize(3);

        String list =
            "tcp://127.0.0.1:"
                + agentPorts.get(1)
                + ",tcp://127.0.0.1:"
                + agentPorts.get(2)
                + ",tcp://127.0.0.1:"
                + agentPorts.get(3);
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
                      String.valueOf(HEARTBEAT),
                      "--name",
                      "ha-" + i)));
        }
        Api first = apis.get(1);
        await("agents online on master 1")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  int n = 0;
                  for (JsonNode a : first.ok("/api/v1/agents")) {
                    n += a.get("state").asText().equals("online") ? 1 : 0;
                  }
                  return n == AGENTS;
                });

        Api.Response submitted =
            first.post(
                "/api/v1/tasks",
                Map.of(
                    "script",
                    "echo start >> "
                        + markers
                        + "/$MSCHEDULE_AGENT_ID; sleep 8; echo done-$MSCHEDULE_AGENT_ID",
                    "targets",
                    List.of("all"),
                    "parallel",
                    2));
        assertThat(submitted.status()).as(String.valueOf(submitted.body())).isEqualTo(201);
        String id = submitted.body().get("id").asText();
        Api witness = apis.get(3);

        // the API of master 3 answers throughout: a poller counts its failures
        AtomicInteger apiFailures = new AtomicInteger();
        AtomicInteger apiProbes = new AtomicInteger();
        ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor();
        prober.scheduleAtFixedRate(
            () -> {
              apiProbes.incrementAndGet();
              try {
                if (witness.get("/api/v1/tasks/" + id).status() != 200) {
                  apiFailures.incrementAndGet();
                }
              } catch (RuntimeException e) {
                apiFailures.incrementAndGet();
              }
            },
            0,
            250,
            TimeUnit.MILLISECONDS);

        await("two runs running")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> running(witness, id) == 2);
        assertThat(leaseHolder(url, id)).isEqualTo(masterId(1));
        masters.get(1).kill9();

        // master 2 (next in every agent's list) takes the task over and starts the next runs
        await("master 2 takes the task over")
            .atMost(Duration.ofSeconds(45))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> masterId(2).equals(leaseHolder(url, id)));
        await("the second pair of runs is running")
            .atMost(Duration.ofSeconds(45))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> succeeded(witness, id) >= 2 && running(witness, id) == 2);
        long epochOfMaster2 = leaseEpoch(url, id);
        assertThat(epochOfMaster2).isEqualTo(2);

        // master 2 pauses past its lease; the agents move on to master 3, which takes over
        masters.get(2).signal("STOP");
        try {
          await("master 3 takes the task over")
              .atMost(Duration.ofSeconds(45))
              .pollInterval(Duration.ofMillis(200))
              .until(() -> masterId(3).equals(leaseHolder(url, id)));
        } finally {
          masters.get(2).signal("CONT");
        }
        assertThat(leaseEpoch(url, id)).isGreaterThan(epochOfMaster2);
        await("master 2 learns it lost the task")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> masters.get(2).log().contains("another master took it over"));

        await("task ends")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> task(witness, id).get("finished_at").isTextual());
        prober.shutdown();
        assertThat(prober.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        JsonNode t = task(witness, id);
        assertThat(t.get("state").asText()).as(t.toString()).isEqualTo("SUCCEEDED");
        assertThat(t.get("runs")).hasSize(AGENTS);
        for (JsonNode r : t.get("runs")) {
          assertThat(r.get("state").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
          String agentId = r.get("agent_id").asText();
          assertThat(r.get("output").asText()).isEqualTo("done-" + agentId + "\n");
          assertThat(Files.readAllLines(markers.resolve(agentId)))
              .as("starts on " + agentId)
              .containsExactly("start");
        }
        try (var files = Files.list(markers)) {
          assertThat(files.count()).isEqualTo(AGENTS);
        }
        assertThat(leaseHolder(url, id)).isEqualTo(masterId(3));
        assertThat(apiProbes.get()).isGreaterThan(20);
        assertThat(apiFailures.get()).isZero();

        // the cluster view: master 1 dead, the others live; agents are on master 3
        JsonNode cluster = witness.ok("/api/v1/cluster");
        Map<String, String> states = new HashMap<>();
        cluster
            .get("masters")
            .forEach(m -> states.put(m.get("id").asText(), m.get("state").asText()));
        assertThat(states)
            .containsEntry(masterId(1), "dead")
            .containsEntry(masterId(2), "live")
            .containsEntry(masterId(3), "live");
        for (JsonNode a : witness.ok("/api/v1/agents")) {
          assertThat(a.get("master").asText()).isEqualTo(masterId(3));
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
    Path dest = Path.of("target", "it-logs", dir.getFileName().toString());
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
