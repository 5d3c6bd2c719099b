package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing is lost when the master or an agent dies mid-task. */
class RecoveryIT {
  @TempDir Path dir;

  @Test
  void a_task_survives_kill_9_of_the_master() {
    try (Cluster c = Cluster.start(dir, 5, 1)) {
      String id =
          c.submit(
              Map.of(
                  "script",
                  "sleep 5; echo done-$MSCHEDULE_AGENT_ID",
                  "targets",
                  List.of("all"),
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
  }

  @Test
  void a_run_whose_agent_is_killed_is_lost_and_counts_as_a_failure() {
    try (Cluster c = Cluster.start(dir, 2, 1)) {
      String victim = c.agentId(2);
      String id =
          c.submit(
              Map.of(
                  "script", "sleep 3015", "targets", List.of("all"), "parallel", 0, "timeout", 60));
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
    } finally {
      Procs.killAll("sleep 3015");
    }
  }

  @Test
  void a_lost_run_aborts_a_task_that_allows_no_failure() {
    try (Cluster c = Cluster.start(dir, 2, 1)) {
      String victim = c.agentId(1);
      String id =
          c.submit(Map.of("script", "sleep 3016", "targets", List.of(victim), "fail_count", 0));
      await().atMost(Duration.ofSeconds(20)).until(() -> runState(c, id, victim).equals("RUNNING"));
      c.agent(1).kill9();
      JsonNode t = c.awaitEnd(id, Duration.ofSeconds(60));
      assertThat(t.get("state").asText()).isEqualTo("ABORTED");
      assertThat(t.get("reason").asText()).contains("1 of 1 runs failed");
    } finally {
      Procs.killAll("sleep 3016");
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
