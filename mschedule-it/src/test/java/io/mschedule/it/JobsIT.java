package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job versions, parameters, schedules and reruns against a real master and five agents. */
class JobsIT {
  @TempDir static Path dir;
  static Cluster c;
  static List<String> ids = new ArrayList<>();

  @BeforeAll
  static void up() {
    c = Cluster.start(dir, 5, 1);
    for (int i = 1; i <= 5; i++) {
      ids.add(c.agentId(i));
    }
  }

  @AfterAll
  static void down() {
    if (c != null) {
      c.close();
    }
  }

  static JsonNode json(String text) throws Exception {
    return Api.JSON.readTree(text.substring(text.indexOf('{')));
  }

  @Test
  void versions_run_by_name_and_number_and_rollback_makes_a_new_version() throws Exception {
    assertThat(c.cli("job", "push", "greet", "-c", "echo one $WHO", "-m", "first").lastLine())
        .isEqualTo("greet@1");
    assertThat(c.cli("job", "push", "greet", "-c", "echo two $WHO").lastLine())
        .isEqualTo("greet@2");
    Cluster.CliResult same = c.cli("job", "push", "greet", "-c", "echo two $WHO");
    assertThat(same.out()).contains("unchanged");
    assertThat(same.lastLine()).isEqualTo("greet@2");

    Cluster.CliResult newest =
        c.cli("run", "--job", "greet", "-t", ids.get(0), "-e", "WHO=world", "--json");
    assertThat(newest.code()).as(newest.out()).isZero();
    JsonNode t2 = json(newest.out());
    assertThat(t2.get("job").asText()).isEqualTo("greet");
    assertThat(t2.get("job_version").asInt()).isEqualTo(2);
    assertThat(t2.get("env").get("WHO").asText()).isEqualTo("world");
    assertThat(t2.get("script_sha256").asText()).hasSize(64);
    assertThat(t2.get("runs").get(0).get("output").asText()).isEqualTo("two world\n");

    JsonNode t1 = json(c.cli("run", "--job", "greet@1", "-t", ids.get(0), "--json").out());
    assertThat(t1.get("job_version").asInt()).isEqualTo(1);
    assertThat(t1.get("runs").get(0).get("output").asText()).isEqualTo("one\n");

    assertThat(c.cli("job", "diff", "greet", "1", "2").out())
        .contains("-echo one $WHO")
        .contains("+echo two $WHO");
    assertThat(c.cli("job", "rollback", "greet", "--to", "1").lastLine()).isEqualTo("greet@3");
    assertThat(c.cli("job", "show", "greet@3").out()).isEqualTo("echo one $WHO\n");
    assertThat(c.cli("job", "versions", "greet").out())
        .contains("first")
        .contains("rollback to version 1");

    JsonNode t3 = json(c.cli("run", "--job", "greet", "-t", ids.get(0), "--json").out());
    assertThat(t3.get("job_version").asInt()).isEqualTo(3);
    assertThat(t3.get("runs").get(0).get("output").asText()).isEqualTo("one\n");

    Cluster.CliResult reserved = c.cli("run", "-c", "true", "-e", "PATH=/tmp");
    assertThat(reserved.code()).isEqualTo(1);
    assertThat(reserved.out()).contains("PATH");
  }

  private static List<JsonNode> tasksOf(String schedule) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode t : c.api.ok("/api/v1/tasks?limit=1000&runs=false")) {
      if (schedule.equals(t.path("schedule").asText())) {
        out.add(t);
      }
    }
    out.sort((a, b) -> a.get("scheduled_for").asText().compareTo(b.get("scheduled_for").asText()));
    return out;
  }

  @Test
  void a_schedule_every_two_seconds_creates_one_task_per_slot() throws Exception {
    c.cli("job", "push", "tick", "-c", "echo tick");
    Cluster.CliResult add =
        c.cli(
            "schedule",
            "add",
            "every2",
            "--job",
            "tick",
            "--cron",
            "*/2 * * * * *",
            "-t",
            ids.get(1));
    assertThat(add.code()).as(add.out()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> tasksOf("every2").size() >= 4);
    assertThat(c.cli("schedule", "pause", "every2").code()).isZero();
    List<JsonNode> tasks = tasksOf("every2");
    Set<String> slots = new HashSet<>();
    Instant previous = null;
    for (JsonNode t : tasks) {
      Instant slot = Instant.parse(t.get("scheduled_for").asText());
      assertThat(slots.add(slot.toString())).as("slot %s once", slot).isTrue();
      assertThat(slot.getEpochSecond() % 2).isZero();
      assertThat(slot.getNano()).isZero();
      if (previous != null) {
        assertThat(Duration.between(previous, slot)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
      }
      previous = slot;
    }
    Cluster.CliResult listed = c.cli("tasks", "--json", "--limit", "200");
    assertThat(listed.out()).contains("\"schedule\": \"every2\"").contains("\"scheduled_for\"");
    assertThat(c.cli("schedule", "delete", "every2").code()).isZero();
  }

  @Test
  void concurrency_forbid_skips_slots_while_the_last_task_runs() throws Exception {
    c.cli("job", "push", "slow", "-c", "sleep 3");
    assertThat(
            c.cli(
                    "schedule",
                    "add",
                    "slow2",
                    "--job",
                    "slow",
                    "--cron",
                    "*/2 * * * * *",
                    "-t",
                    ids.get(2),
                    "--concurrency",
                    "forbid")
                .code())
        .isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              List<JsonNode> ts = tasksOf("slow2");
              return ts.size() >= 2 && ts.get(1).get("finished_at").isTextual();
            });
    c.cli("schedule", "delete", "slow2");
    List<JsonNode> tasks = tasksOf("slow2");
    for (int i = 1; i < tasks.size(); i++) {
      Instant prevEnd = Instant.parse(tasks.get(i - 1).get("finished_at").asText());
      Instant nextStart = Instant.parse(tasks.get(i).get("created_at").asText());
      assertThat(nextStart).as("task %d starts after task %d ended", i, i - 1).isAfter(prevEnd);
      Instant a = Instant.parse(tasks.get(i - 1).get("scheduled_for").asText());
      Instant b = Instant.parse(tasks.get(i).get("scheduled_for").asText());
      // a run of 3 s covers the next slot (2 s on): it was skipped
      assertThat(Duration.between(a, b)).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
    }
  }

  @Test
  void rerun_of_failed_hosts_runs_on_those_only() throws Exception {
    List<String> failing = ids.subList(3, 5);
    String script =
        "case \"$MSCHEDULE_AGENT_ID\" in " + String.join("|", failing) + ") exit 7;; esac; echo ok";
    String id =
        c.submit(
            Map.of(
                "script",
                script,
                "targets",
                List.of("all"),
                "parallel",
                0,
                "env",
                Map.of("X", "1")));
    JsonNode first = c.awaitEnd(id, Duration.ofSeconds(30));
    assertThat(first.get("state").asText()).isEqualTo("FAILED");

    Cluster.CliResult rerun = c.cli("rerun", id, "--json");
    assertThat(rerun.code()).as(rerun.out()).isEqualTo(2); // fails again on the same hosts
    JsonNode again = json(rerun.out());
    assertThat(again.get("rerun_of").asText()).isEqualTo(id);
    assertThat(again.get("script").asText()).isEqualTo(first.get("script").asText());
    assertThat(again.get("env").get("X").asText()).isEqualTo("1");
    List<String> agents = new ArrayList<>();
    again.get("runs").forEach(r -> agents.add(r.get("agent_id").asText()));
    assertThat(agents).containsExactlyInAnyOrderElementsOf(failing);

    JsonNode all = json(c.cli("rerun", id, "--hosts", "all", "--detach", "--json").out());
    assertThat(all.get("runs")).hasSize(5);
  }
}
