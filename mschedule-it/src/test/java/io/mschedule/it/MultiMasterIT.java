package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three masters on one PostgreSQL and twenty agents that list all three in different orders, so
 * they spread over the masters; one cluster for every scenario, the destructive one last. A task
 * submitted on any master reaches every agent, and a kill through a master that does not drive the
 * task kills runs on the agents of the others, and the live output of a run on an agent of master 2
 * is streamed by master 1, which drives the task, while the run goes on. Then the master driving a
 * task is killed with {@code kill -9}, and its successor is paused past its lease: the task ends
 * SUCCEEDED with every result, every script started exactly once, the paused master's late writes
 * are refused (the lease's epoch moved on), and a surviving master's API answered throughout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiMasterIT {
  static final int AGENTS = 20;
  static final int HEARTBEAT = 1;
  static final int DEAD_AFTER = 6;

  /** Seconds each run of the failover task sleeps (4 waves of 5 runs). */
  static final int SLEEP = 8;

  @TempDir static Path dir;

  Masters ha;
  Map<Integer, JavaProcess> masters;
  Map<Integer, Api> apis;
  Map<Integer, Integer> agentPorts;
  RestartablePostgres pg;
  String url;

  long leaseEpoch(String taskId) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "postgres", null);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT epoch FROM task_leases WHERE task_id = '" + taskId + "'")) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  String leaseHolder(String taskId) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "postgres", null);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT master_id FROM task_leases WHERE task_id = '" + taskId + "'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  String masterId(int m) {
    return ha.masterId(m);
  }

  /** The master (1 to 3) whose id is {@code id}, or 0. */
  int masterNumber(String id) {
    for (int m = 1; m <= 3; m++) {
      if (masterId(m).equals(id)) {
        return m;
      }
    }
    return 0;
  }

  JsonNode task(Api api, String id) {
    return api.ok("/api/v1/tasks/" + id);
  }

  int count(Api api, String id, String state) {
    return task(api, id).get("counts").path(state).asInt();
  }

  int online(Api api) {
    int n = 0;
    for (JsonNode a : api.ok("/api/v1/agents")) {
      n += a.get("state").asText().equals("online") ? 1 : 0;
    }
    return n;
  }

  String submit(Api api, String script, int parallel) {
    Api.Response submitted =
        api.post(
            "/api/v1/tasks",
            Map.of("script", script, "targets", List.of("all"), "parallel", parallel));
    assertThat(submitted.status()).as(String.valueOf(submitted.body())).isEqualTo(201);
    return submitted.body().get("id").asText();
  }

  JsonNode awaitEnd(Api api, String id, Duration within) {
    await("task " + id + " ends")
        .atMost(within)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> task(api, id).get("finished_at").isTextual());
    return task(api, id);
  }

  @BeforeAll
  void cluster() throws Exception {
    pg = RestartablePostgres.start(dir.resolve("pg"), dir.resolve("logs/postgres.out"));
    url = pg.createDatabase("mschedule_ha");
    ha = new Masters(dir, url, HEARTBEAT, DEAD_AFTER);
    masters = ha.masters;
    apis = ha.apis;
    agentPorts = ha.agentPorts;
    ha.start(3);
    assertThat(apis.get(3).ok("/api/v1/cluster").get("masters")).hasSize(3);

    for (int i = 1; i <= AGENTS; i++) {
      // agent i lists the masters starting with master (i mod 3) + 1: they spread over all three
      List<Integer> order = new ArrayList<>();
      for (int k = 0; k < 3; k++) {
        order.add((i + k) % 3 + 1);
      }
      ha.startAgent("ha-" + i, order);
    }
    for (int m = 1; m <= 3; m++) {
      Api api = apis.get(m);
      await("every agent online as seen from master " + m)
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> online(api) == AGENTS);
    }
  }

  @AfterAll
  void stop() {
    try {
      if (ha != null) {
        ha.close();
      }
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
  }

  @Test
  @Order(1)
  void a_task_submitted_on_any_master_reaches_every_agent() {
    Map<String, Integer> perMaster = new HashMap<>();
    for (JsonNode a : apis.get(1).ok("/api/v1/agents")) {
      perMaster.merge(a.get("master").asText(), 1, Integer::sum);
    }
    assertThat(perMaster).as("agents per master").hasSize(3);
    assertThat(perMaster.values()).allMatch(n -> n >= 5);

    Map<Integer, String> ids = new HashMap<>();
    for (int m = 1; m <= 3; m++) {
      ids.put(m, submit(apis.get(m), "echo from-" + m + "-$MSCHEDULE_AGENT_ID", AGENTS));
    }
    for (int m = 1; m <= 3; m++) {
      JsonNode t = awaitEnd(apis.get(m), ids.get(m), Duration.ofSeconds(30));
      assertThat(t.get("state").asText()).as(t.toString()).isEqualTo("SUCCEEDED");
      assertThat(t.get("runs")).hasSize(AGENTS);
      for (JsonNode r : t.get("runs")) {
        assertThat(r.get("output").asText())
            .isEqualTo("from-" + m + "-" + r.get("agent_id").asText() + "\n");
      }
    }
  }

  @Test
  @Order(3)
  void a_file_uploaded_to_one_master_reaches_agents_on_every_master() throws Exception {
    // small: what is tested is which master has it (the database's chunks have tests of their own)
    byte[] content =
        ("settings for every host " + System.nanoTime() + "\n").repeat(1_000).getBytes();
    HttpResponse<String> up =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(apis.get(1).base() + "/api/v1/files?name=app.conf"))
                    .header("Authorization", "Bearer " + apis.get(1).token())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(content))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
    String sha =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(up.body())
            .get("sha256")
            .asText();

    Api.Response submitted =
        apis.get(1)
            .post(
                "/api/v1/tasks",
                Map.of(
                    "script",
                    "sha256sum app.conf | cut -c1-64",
                    "targets",
                    List.of("all"),
                    "parallel",
                    AGENTS,
                    "files",
                    List.of(Map.of("sha256", sha, "dest", "app.conf"))));
    assertThat(submitted.status()).as(String.valueOf(submitted.body())).isEqualTo(201);
    String id = submitted.body().get("id").asText();
    JsonNode t = awaitEnd(apis.get(1), id, Duration.ofSeconds(60));
    assertThat(t.get("state").asText()).as(t.toString()).isEqualTo("SUCCEEDED");
    assertThat(t.get("runs")).hasSize(AGENTS);
    for (JsonNode r : t.get("runs")) {
      assertThat(r.get("output").asText()).isEqualTo(sha + "\n");
    }
  }

  @Test
  @Order(2)
  void a_kill_through_a_master_not_driving_the_task_kills_runs_on_every_master() throws Exception {
    Api first = apis.get(1);
    Api second = apis.get(2);
    Path started = Files.createDirectories(dir.resolve("started"));
    String id = submit(first, "touch " + started + "/$MSCHEDULE_AGENT_ID; sleep 60", AGENTS);
    await("every script started")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              try (var files = Files.list(started)) {
                return files.count() == AGENTS;
              }
            });
    assertThat(count(second, id, "RUNNING")).isEqualTo(AGENTS);
    assertThat(leaseHolder(id)).isEqualTo(masterId(1));

    Api.Response killed = second.post("/api/v1/tasks/" + id + "/kill", Map.of());
    assertThat(killed.status()).as(String.valueOf(killed.body())).isLessThan(300);

    JsonNode t = awaitEnd(second, id, Duration.ofSeconds(20));
    assertThat(t.get("state").asText()).as(t.toString()).isEqualTo("KILLED");
    for (JsonNode r : t.get("runs")) {
      assertThat(r.get("state").asText()).as(r.toString()).isEqualTo("KILLED");
    }
  }

  /**
   * The data of the events of a task's event stream, as they arrive: live output comes as {@code
   * output} events, or in the first {@code task} event when it was kept before.
   */
  static final class OutputEvents implements AutoCloseable {
    final List<String> data = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> reading;

    OutputEvents(Api api, String taskId) {
      HttpRequest.Builder req =
          HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/tasks/" + taskId + "/events"))
              .header("Accept", "text/event-stream");
      if (api.token() != null) {
        req.header("Authorization", "Bearer " + api.token());
      }
      reading =
          HttpClient.newHttpClient()
              .sendAsync(req.build(), HttpResponse.BodyHandlers.ofLines())
              .thenAccept(
                  r ->
                      r.body()
                          .filter(line -> line.startsWith("data:"))
                          .forEach(line -> data.add(line.substring(5).trim())));
    }

    @Override
    public void close() {
      reading.cancel(true);
    }
  }

  @Test
  @Order(4)
  void live_output_of_an_agent_of_another_master_is_followed_while_the_run_goes_on()
      throws Exception {
    Api first = apis.get(1);
    String agent = null;
    for (JsonNode a : first.ok("/api/v1/agents")) {
      if (a.get("master").asText().equals(masterId(2))) {
        agent = a.get("name").asText();
      }
    }
    assertThat(agent).as("an agent of master 2").isNotNull();
    Api.Response submitted =
        first.post(
            "/api/v1/tasks",
            Map.of(
                "script",
                "echo live-line-$MSCHEDULE_AGENT_ID; sleep 3",
                "targets",
                List.of(agent),
                "parallel",
                1));
    assertThat(submitted.status()).as(String.valueOf(submitted.body())).isEqualTo(201);
    String id = submitted.body().get("id").asText();

    try (OutputEvents events = new OutputEvents(first, id)) {
      await("the line streamed by master 1")
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> events.data.stream().anyMatch(d -> d.contains("live-line-")));
      JsonNode run = task(first, id).get("runs").get(0);
      assertThat(run.get("state").asText()).as("seen while running").isEqualTo("RUNNING");
      assertThat(leaseHolder(id)).isEqualTo(masterId(1));
    }
    assertThat(awaitEnd(first, id, Duration.ofSeconds(15)).get("state").asText())
        .isEqualTo("SUCCEEDED");
  }

  @Test
  @Order(5)
  void a_task_survives_its_master_killed_and_its_next_master_paused() throws Exception {
    Path markers = Files.createDirectories(dir.resolve("markers"));
    Api first = apis.get(1);
    String id =
        submit(
            first,
            "echo start >> "
                + markers
                + "/$MSCHEDULE_AGENT_ID; sleep "
                + SLEEP
                + "; echo done-$MSCHEDULE_AGENT_ID",
            5);

    // the APIs of masters 2 and 3 are probed throughout; one of them is never paused
    Map<Integer, AtomicInteger> apiFailures =
        Map.of(2, new AtomicInteger(), 3, new AtomicInteger());
    AtomicInteger apiProbes = new AtomicInteger();
    ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor();
    prober.scheduleAtFixedRate(
        () -> {
          apiProbes.incrementAndGet();
          for (int m = 2; m <= 3; m++) {
            try {
              if (apis.get(m).get("/api/v1/tasks/" + id).status() != 200) {
                apiFailures.get(m).incrementAndGet();
              }
            } catch (RuntimeException e) {
              apiFailures.get(m).incrementAndGet();
            }
          }
        },
        0,
        250,
        TimeUnit.MILLISECONDS);

    Api watcher = apis.get(2);
    await("five runs running")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> count(watcher, id, "RUNNING") == 5);
    assertThat(leaseHolder(id)).isEqualTo(masterId(1));
    masters.get(1).kill9();

    // a surviving master takes the task over and goes on
    await("a surviving master takes the task over")
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> masterNumber(leaseHolder(id)) > 1);
    int next = masterNumber(leaseHolder(id));
    int last = next == 2 ? 3 : 2;
    Api witness = apis.get(last);
    await("the next runs are running")
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> count(witness, id, "SUCCEEDED") >= 5 && count(witness, id, "RUNNING") > 0);
    long epochOfNext = leaseEpoch(id);
    assertThat(epochOfNext).isEqualTo(2);

    // the next master pauses past its lease; its agents move on, the last master takes over
    masters.get(next).signal("STOP");
    try {
      await("master " + last + " takes the task over")
          .atMost(Duration.ofSeconds(45))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> masterId(last).equals(leaseHolder(id)));
    } finally {
      masters.get(next).signal("CONT");
    }
    assertThat(leaseEpoch(id)).isGreaterThan(epochOfNext);

    JsonNode t = awaitEnd(witness, id, Duration.ofSeconds(60));
    await("master " + next + " learns it lost the task")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> masters.get(next).log().contains("another master took it over"));
    prober.shutdown();
    assertThat(prober.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

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
    // the paused master's writes after it woke were refused: the lease stayed with the last one
    assertThat(leaseHolder(id)).isEqualTo(masterId(last));
    assertThat(leaseEpoch(id)).isGreaterThan(epochOfNext);
    assertThat(apiProbes.get()).isGreaterThan(20);
    assertThat(apiFailures.get(last).get()).isZero();

    // the cluster view: master 1 dead, the others live
    JsonNode cluster = witness.ok("/api/v1/cluster");
    Map<String, String> states = new HashMap<>();
    cluster.get("masters").forEach(m -> states.put(m.get("id").asText(), m.get("state").asText()));
    assertThat(states)
        .containsEntry(masterId(1), "dead")
        .containsEntry(masterId(2), "live")
        .containsEntry(masterId(3), "live");
  }
}
