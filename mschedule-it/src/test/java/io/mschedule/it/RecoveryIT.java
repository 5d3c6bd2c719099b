package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing is lost when the master or an agent dies mid-task. One cluster of seven agents serves
 * every scenario, each on agents of its own: a master declares no run lost in its first 30 s
 * (TaskCoordinator's startup grace), so the scenarios that lose a run share that wait instead of
 * paying it with a fresh master each. The master is killed last, since its restart starts the grace
 * again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecoveryIT {
  @TempDir static Path dir;
  static Cluster c;

  @BeforeAll
  static void up() {
    c = Cluster.start(dir, 7, 1);
  }

  @AfterAll
  static void down() {
    try {
      if (c != null) {
        c.close();
      }
    } finally {
      Procs.killAll("sleep 3017");
      Procs.killAll("sleep 3018");
    }
  }

  @Test
  @Order(1)
  void a_run_whose_agent_is_killed_is_lost_and_counts_as_a_failure() {
    String victim = c.agentId(2);
    String id =
        c.submit(
            Map.of(
                "script",
                "sleep 3017",
                "targets",
                List.of(c.agentId(1), victim),
                "parallel",
                0,
                "timeout",
                60));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> c.api.ok("/api/v1/tasks/" + id).get("counts").path("RUNNING").asInt() == 2);
    c.agent(2).kill9();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> runState(c, id, victim).equals("LOST"));
    c.api.post("/api/v1/tasks/" + id + "/kill", "{}");
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(60));
    assertThat(runState(c, id, victim)).isEqualTo("LOST");
    assertThat(t.get("state").asText()).isEqualTo("KILLED");
  }

  @Test
  @Order(2)
  void a_lost_run_aborts_a_task_that_allows_no_failure() {
    String victim = c.agentId(3);
    String id =
        c.submit(Map.of("script", "sleep 3018", "targets", List.of(victim), "fail_count", 0));
    await().atMost(Duration.ofSeconds(20)).until(() -> runState(c, id, victim).equals("RUNNING"));
    c.agent(3).kill9();
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(60));
    assertThat(t.get("state").asText()).isEqualTo("ABORTED");
    assertThat(t.get("reason").asText()).contains("1 of 1 runs failed");
  }

  @Test
  @Order(3)
  void a_task_survives_kill_9_of_the_master() {
    // five agents no other scenario killed: 1 (its run was killed) and 4 to 7
    List<String> five = new ArrayList<>(List.of(c.agentId(1)));
    for (int i = 4; i <= 7; i++) {
      five.add(c.agentId(i));
    }
    String id =
        c.submit(
            Map.of(
                "script",
                "sleep 5; echo done-$MSCHEDULE_AGENT_ID",
                "targets",
                five,
                "parallel",
                0));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> c.api.ok("/api/v1/tasks/" + id).get("counts").path("RUNNING").asInt() == 5);
    c.master().kill9();
    c.startMaster();
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(60));
    assertThat(t.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(t.get("runs")).hasSize(5);
    for (JsonNode r : t.get("runs")) {
      assertThat(r.get("code").asInt()).isZero();
      assertThat(r.get("output").asText()).isEqualTo("done-" + r.get("agent_id").asText() + "\n");
    }
  }

  static String runState(Cluster c, String taskId, String agentId) {
    for (JsonNode r : c.api.ok("/api/v1/tasks/" + taskId).get("runs")) {
      if (r.get("agent_id").asText().equals(agentId)) {
        return r.get("state").asText();
      }
    }
    throw new AssertionError("no run on " + agentId);
  }
}
