package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults that a running cluster must survive without losing or doubling a run: processes paused
 * with {@code SIGSTOP}, a network that stalls or resets connections, scripts that resist a kill,
 * and floods of hostile connections and unknown keys. One master with short liveness settings
 * (heartbeat 1 s, offline after 4 missed) and three agents, the third behind a {@link TcpProxy}.
 */
@Tag("chaos")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {
  /** Agents are offline after this many seconds without a message (heartbeat 1 s). */
  static final int OFFLINE_AFTER_SECONDS = 4;

  static final int KILL_GRACE_SECONDS = 2;

  @TempDir static Path dir;
  static Cluster c;
  static TcpProxy proxy;
  static String a1;
  static String a2;
  static String a3;

  @BeforeAll
  static void up() {
    c =
        Cluster.create(dir, 1)
            .masterEnv("MSCHEDULE_OFFLINE_AFTER_MISSED", String.valueOf(OFFLINE_AFTER_SECONDS))
            .masterEnv("MSCHEDULE_API_RATE_LIMIT", "0")
            .up(2);
    proxy = TcpProxy.to(c.agentPort);
    c.startAgentVia(3, proxy.endpoint());
    c.awaitOnline(3, Duration.ofSeconds(60));
    a1 = c.agentId(1);
    a2 = c.agentId(2);
    a3 = c.agentId(3);
  }

  @AfterAll
  static void down() {
    if (c != null) {
      c.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    for (int n = 3020; n < 3030; n++) {
      Procs.killAll("sleep " + n);
    }
  }

  static Map<String, Object> task(String script, String agent, Object... kv) {
    Map<String, Object> m = new HashMap<>();
    m.put("script", script);
    m.put("targets", List.of(agent));
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static JsonNode run(String taskId, String agent) {
    for (JsonNode r : c.api.ok("/api/v1/tasks/" + taskId).get("runs")) {
      if (r.get("agent_id").asText().equals(agent)) {
        return r;
      }
    }
    throw new AssertionError("task " + taskId + " has no run on " + agent);
  }

  static void awaitRunning(String taskId, String agent) {
    await("run of " + taskId + " on " + agent + " running")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> run(taskId, agent).get("state").asText().equals("RUNNING"));
  }

  /** A task that ended with exactly one run, on {@code agent}, in {@code state}. */
  static JsonNode onlyRun(JsonNode task, String agent, String state) {
    assertThat(task.get("runs")).hasSize(1);
    JsonNode r = task.get("runs").get(0);
    assertThat(r.get("agent_id").asText()).isEqualTo(agent);
    assertThat(r.get("state").asText()).as(r.toString()).isEqualTo(state);
    return r;
  }

  /** Waits until no agent of the cluster holds an unacknowledged result in its spool. */
  static void awaitSpoolsEmpty(Cluster cluster, int agents) {
    await("every result acknowledged (agent spools empty)")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              for (int i = 1; i <= agents; i++) {
                Path spool = cluster.agentDir(i).resolve("spool");
                if (java.nio.file.Files.isDirectory(spool)) {
                  try (var files = java.nio.file.Files.list(spool)) {
                    if (files.findAny().isPresent()) {
                      return false;
                    }
                  }
                }
              }
              return true;
            });
  }

  /**
   * Keeps a fault in place for a fixed time: the length of the outage is what the scenario is
   * about, so there is no condition to wait for.
   */
  static void hold(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  @Order(1)
  void an_agent_paused_shorter_than_the_offline_window_keeps_its_run() {
    String id = c.submit(task("sleep 3; echo short-stop; exit 0", a1));
    awaitRunning(id, a1);
    c.agent(1).signal("STOP");
    try {
      // the master keeps the agent online for the whole pause (2 s < 4 s)
      await("agent 1 stays online while paused")
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(3))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> c.stateOf(a1).equals("online"));
    } finally {
      c.agent(1).signal("CONT");
    }
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(30));
    assertThat(t.get("state").asText()).isEqualTo("SUCCEEDED");
    JsonNode r = onlyRun(t, a1, "SUCCEEDED");
    assertThat(r.get("code").asInt()).isZero();
    assertThat(r.get("output").asText()).isEqualTo("short-stop\n");
    assertThat(r.get("late").asBoolean()).isFalse();
  }

  @Test
  @Order(2)
  void the_master_paused_mid_task_records_every_result_once() {
    String id =
        c.submit(
            Map.of(
                "script",
                "sleep 3; echo paused-master-$MSCHEDULE_AGENT_ID",
                "targets",
                List.of("all"),
                "parallel",
                0));
    await("three runs running")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> c.api.ok("/api/v1/tasks/" + id).get("counts").path("RUNNING").asInt() == 3);
    c.master().signal("STOP");
    try {
      hold(Duration.ofSeconds(5)); // longer than the scripts: results wait in the agents' spools
    } finally {
      c.master().signal("CONT");
    }
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(60));
    assertThat(t.get("state").asText()).as(t.toString()).isEqualTo("SUCCEEDED");
    assertThat(t.get("runs")).hasSize(3);
    assertThat(t.get("runs").findValuesAsText("agent_id")).containsExactlyInAnyOrder(a1, a2, a3);
    for (JsonNode r : t.get("runs")) {
      assertThat(r.get("state").asText()).isEqualTo("SUCCEEDED");
      assertThat(r.get("code").asInt()).isZero();
      assertThat(r.get("output").asText())
          .isEqualTo("paused-master-" + r.get("agent_id").asText() + "\n");
    }
    awaitSpoolsEmpty(c, 3);
    c.awaitOnline(3, Duration.ofSeconds(30));
  }

  private static final String THREE_PARTS =
      "echo part-1; sleep 2; echo part-2; sleep 2; echo part-3";

  @Test
  @Order(3)
  void a_network_stall_of_three_seconds_mid_run_loses_nothing() {
    String id = c.submit(task(THREE_PARTS, a3));
    awaitRunning(id, a3);
    proxy.stall();
    try {
      hold(Duration.ofSeconds(3));
    } finally {
      proxy.resume();
    }
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(60));
    assertThat(t.get("state").asText()).isEqualTo("SUCCEEDED");
    JsonNode r = onlyRun(t, a3, "SUCCEEDED");
    assertThat(r.get("code").asInt()).isZero();
    assertThat(r.get("output").asText()).isEqualTo("part-1\npart-2\npart-3\n");
  }

  @Test
  @Order(4)
  void connections_reset_mid_run_lose_nothing() {
    int before = proxy.accepted();
    String id = c.submit(task(THREE_PARTS, a3));
    awaitRunning(id, a3);
    proxy.reset();
    await("the agent reconnects through the proxy")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> proxy.accepted() > before);
    proxy.reset(); // and once more, while it re-registers
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(60));
    assertThat(t.get("state").asText()).isEqualTo("SUCCEEDED");
    JsonNode r = onlyRun(t, a3, "SUCCEEDED");
    assertThat(r.get("code").asInt()).isZero();
    assertThat(r.get("output").asText()).isEqualTo("part-1\npart-2\npart-3\n");
    c.awaitOnline(3, Duration.ofSeconds(30));
  }

  @Test
  @Order(5)
  void timeouts_and_kills_end_daemons_and_term_ignoring_scripts() {
    int timeout = 6; // long enough for the process scan below to see every script start
    String daemon =
        c.submit(task("(setsid sh -c 'sleep 3021; true' &); sleep 3022", a1, "timeout", timeout));
    String deaf = c.submit(task("trap '' TERM; sleep 3023", a2, "timeout", timeout));
    // on a direct agent: this scenario is about the kill, not about the proxy of agent 3
    String deafKilled = c.submit(task("trap '' TERM; sleep 3024", a1));
    java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    await("all three scripts run")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              for (String marker :
                  List.of("sleep 3021", "sleep 3022", "sleep 3023", "sleep 3024")) {
                if (!Procs.matching(marker).isEmpty()) {
                  seen.add(marker);
                }
              }
              return seen.size() == 4;
            });
    Instant started = Instant.now(); // the runs started before: the bounds below are generous
    assertThat(c.api.post("/api/v1/tasks/" + deafKilled + "/kill", "{}").status()).isEqualTo(202);

    // a timeout ends the run within timeout + kill grace + a few seconds; a kill within the grace
    Duration bound = Duration.ofSeconds(timeout + KILL_GRACE_SECONDS + 4);
    JsonNode t1 = c.awaitEnd(daemon, bound);
    JsonNode t2 = c.awaitEnd(deaf, bound);
    JsonNode t3 = c.awaitEnd(deafKilled, Duration.ofSeconds(KILL_GRACE_SECONDS + 4));
    assertThat(Duration.between(started, Instant.now())).isLessThan(bound);

    for (JsonNode r : List.of(onlyRun(t1, a1, "TIMED_OUT"), onlyRun(t2, a2, "TIMED_OUT"))) {
      Duration ran =
          Duration.between(
              Instant.parse(r.get("started_at").asText()),
              Instant.parse(r.get("finished_at").asText()));
      assertThat(ran).isLessThan(Duration.ofSeconds(timeout + KILL_GRACE_SECONDS + 3));
    }
    onlyRun(t3, a1, "KILLED");
    assertThat(t1.get("state").asText()).isEqualTo("FAILED");
    assertThat(t2.get("state").asText()).isEqualTo("FAILED");
    assertThat(t3.get("state").asText()).isEqualTo("KILLED");
    await("no process of the three scripts survives")
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                Procs.matching("sleep 3021").isEmpty()
                    && Procs.matching("sleep 3022").isEmpty()
                    && Procs.matching("sleep 3023").isEmpty()
                    && Procs.matching("sleep 3024").isEmpty());
  }

  @Test
  @Order(6)
  void a_flood_of_hostile_connections_and_unknown_keys_does_not_stop_a_task() throws Exception {
    String id = c.submit(task("sleep 4; echo survived-the-flood", a1));
    awaitRunning(id, a1);
    try (Flood flood = Flood.against(c)) {
      flood.start(2_000, 100);
      // the API keeps answering while the flood goes on
      await("the flood ends")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                assertThat(c.api.get("/api/v1/agents").status()).isEqualTo(200);
                return flood.done();
              });
      assertThat(flood.connectionsTried()).isEqualTo(2_000);
      assertThat(flood.registrationsTried()).isEqualTo(100);
    }
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(60));
    assertThat(t.get("state").asText()).isEqualTo("SUCCEEDED");
    JsonNode r = onlyRun(t, a1, "SUCCEEDED");
    assertThat(r.get("output").asText()).isEqualTo("survived-the-flood\n");
    assertThat(c.stateOf(a1)).isEqualTo("online");
    assertThat(c.master().alive()).isTrue();
    assertThat(c.master().log()).doesNotContain("OutOfMemoryError");
    // and it still runs new tasks
    String after = c.submit(task("echo after-the-flood", a1));
    assertThat(onlyRun(c.awaitEnd(after, Duration.ofSeconds(30)), a1, "SUCCEEDED").get("output"))
        .hasToString("\"after-the-flood\\n\"");
  }

  @Test
  @Order(7)
  void an_agent_paused_past_the_offline_window_has_its_run_lost_and_its_late_result_kept() {
    String id = c.submit(task("sleep 2; echo late-output; exit 3", a2));
    awaitRunning(id, a2);
    c.agent(2).signal("STOP");
    JsonNode t;
    try {
      // offline after 4 s; a master younger than 30 s waits for its agents first
      await("run declared lost")
          .atMost(Duration.ofSeconds(45))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> run(id, a2).get("state").asText().equals("LOST"));
      t = c.awaitEnd(id, Duration.ofSeconds(10));
    } finally {
      c.agent(2).signal("CONT");
    }
    assertThat(t.get("state").asText()).isEqualTo("FAILED");
    assertThat(onlyRun(t, a2, "LOST").get("late").asBoolean()).isFalse();

    await("the late result is kept")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> run(id, a2).get("late").asBoolean());
    JsonNode after = c.api.ok("/api/v1/tasks/" + id);
    JsonNode r = onlyRun(after, a2, "LOST");
    assertThat(r.get("code").asInt()).isEqualTo(3);
    assertThat(r.get("output").asText()).isEqualTo("late-output\n");
    assertThat(after.get("state").asText()).isEqualTo("FAILED");
    assertThat(after.get("finished_at").asText()).isEqualTo(t.get("finished_at").asText());
    c.awaitOnline(3, Duration.ofSeconds(30));
  }
}
