package io.mschedule.master.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs, schedules and reruns over HTTP on a real master (no agents): shapes, roles, audit. */
class JobsApiTest {
  @TempDir Path dir;
  TestMaster m;
  String admin;
  String operator;
  String viewer;

  @BeforeEach
  void start() throws Exception {
    m = new TestMaster(dir, Map.of());
    admin = m.adminToken();
    operator = m.createToken("operator", "bob").get("token").asText();
    viewer = m.createToken("viewer", "alice").get("token").asText();
  }

  @AfterEach
  void stop() {
    m.close();
  }

  private TestMaster.Response push(String token, String job, String script) {
    return m.post(
        "/api/v1/jobs/" + job + "/versions", token, Map.of("script", script, "message", "m"));
  }

  @Test
  void admins_push_versions_and_everyone_reads_them() {
    TestMaster.Response v1 = push(admin, "backup", "echo one\n");
    assertThat(v1.status()).isEqualTo(201);
    assertThat(v1.body().get("version").asInt()).isEqualTo(1);
    assertThat(v1.body().get("created").asBoolean()).isTrue();
    assertThat(v1.body().get("created_by").asText()).isEqualTo("admin");
    assertThat(push(admin, "backup", "echo two\n").body().get("version").asInt()).isEqualTo(2);
    TestMaster.Response same = push(admin, "backup", "echo two\n");
    assertThat(same.status()).isEqualTo(200);
    assertThat(same.body().get("created").asBoolean()).isFalse();
    assertThat(same.body().get("version").asInt()).isEqualTo(2);

    assertThat(push(operator, "backup", "echo three\n").status()).isEqualTo(403);
    assertThat(m.post("/api/v1/jobs/backup/rollback", operator, Map.of("to", 1)).status())
        .isEqualTo(403);

    assertThat(m.get("/api/v1/jobs", viewer).body()).hasSize(1);
    assertThat(m.get("/api/v1/jobs/backup", viewer).body().get("script").asText())
        .isEqualTo("echo two\n");
    assertThat(m.get("/api/v1/jobs/backup/versions/1", viewer).body().get("script").asText())
        .isEqualTo("echo one\n");
    assertThat(m.get("/api/v1/jobs/backup/versions", viewer).body()).hasSize(2);
    assertThat(m.get("/api/v1/jobs/backup/diff?from=1&to=2", viewer).body().get("diff").asText())
        .contains("--- backup@1")
        .contains("+++ backup@2")
        .contains("-echo one")
        .contains("+echo two");

    TestMaster.Response back = m.post("/api/v1/jobs/backup/rollback", admin, Map.of("to", 1));
    assertThat(back.status()).isEqualTo(201);
    assertThat(back.body().get("version").asInt()).isEqualTo(3);
    assertThat(back.body().get("sha256").asText()).isEqualTo(v1.body().get("sha256").asText());

    assertThat(m.get("/api/v1/jobs/nope", viewer).status()).isEqualTo(404);
    assertThat(m.get("/api/v1/jobs/backup/versions/9", viewer).body().get("error").asText())
        .isEqualTo("version 9 of job backup not found");
    TestMaster.Response badName = push(admin, "bad@name", "echo\n");
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.body().get("field").asText()).isEqualTo("name");
    assertThat(push(admin, "empty", " ").body().get("field").asText()).isEqualTo("script");
  }

  @Test
  void task_submissions_name_job_and_env_problems() {
    push(admin, "backup", "echo one\n");
    Map<String, Object> body = new HashMap<>();
    body.put("job", "backup@7");
    body.put("targets", List.of("all"));
    TestMaster.Response missing = m.post("/api/v1/tasks", operator, body);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.body().get("error").asText()).contains("version 7 of job backup not found");

    body.put("job", "backup");
    body.put("script", "echo both\n");
    assertThat(m.post("/api/v1/tasks", operator, body).body().get("error").asText())
        .contains("either a script or a job");

    Map<String, Object> env = new HashMap<>();
    env.put("script", "true\n");
    env.put("targets", List.of("all"));
    env.put("env", Map.of("MSCHEDULE_TASK_ID", "x"));
    TestMaster.Response reserved = m.post("/api/v1/tasks", operator, env);
    assertThat(reserved.status()).isEqualTo(400);
    assertThat(reserved.body().get("field").asText()).isEqualTo("env");
    assertThat(reserved.body().get("error").asText()).contains("MSCHEDULE_TASK_ID");
    env.put("env", Map.of("1BAD", "x"));
    assertThat(m.post("/api/v1/tasks", operator, env).body().get("error").asText())
        .contains("'1BAD' is not a variable name");

    assertThat(m.post("/api/v1/tasks/nope/rerun", operator, Map.of()).status()).isEqualTo(404);
    assertThat(m.post("/api/v1/tasks/nope/rerun", viewer, Map.of()).status()).isEqualTo(403);
  }

  @Test
  void schedules_are_validated_listed_paused_triggered_and_audited() throws Exception {
    push(admin, "backup", "echo one\n");
    Map<String, Object> s = new HashMap<>();
    s.put("name", "nightly");
    s.put("job", "backup");
    s.put("cron", "30 2 * * *");
    s.put("tz", "Europe/Berlin");
    s.put("targets", List.of("role=db"));
    s.put("env", Map.of("MODE", "full"));
    s.put("concurrency", "forbid");

    assertThat(m.post("/api/v1/schedules", operator, s).status()).isEqualTo(403);
    TestMaster.Response created = m.post("/api/v1/schedules", admin, s);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.body().get("concurrency").asText()).isEqualTo("forbid");
    assertThat(created.body().get("misfire").asText()).isEqualTo("skip");
    assertThat(created.body().get("next_slot").asText()).endsWith(":30:00Z");
    assertThat(m.post("/api/v1/schedules", admin, s).status()).isEqualTo(409);

    JsonNode next = m.get("/api/v1/schedules/nightly/next?n=3", viewer).body();
    assertThat(next).hasSize(3);
    assertThat(m.get("/api/v1/schedules", viewer).body()).hasSize(1);
    var inUse =
        m.send(HttpRequest.newBuilder(URI.create(m.base + "/api/v1/jobs/backup")).DELETE(), admin);
    assertThat(inUse.status()).isEqualTo(409);
    assertThat(inUse.body().get("error").asText()).contains("job backup is in use");

    assertThat(
            m.post("/api/v1/schedules/nightly/pause", admin, null).body().get("paused").asBoolean())
        .isTrue();
    assertThat(m.get("/api/v1/schedules/nightly", viewer).body().get("next_slot").isNull())
        .isTrue();
    assertThat(
            m.post("/api/v1/schedules/nightly/resume", admin, null)
                .body()
                .get("paused")
                .asBoolean())
        .isFalse();
    // an operator may trigger; with no agent online the task is refused, naming the targets
    TestMaster.Response trigger = m.post("/api/v1/schedules/nightly/trigger", operator, null);
    assertThat(trigger.status()).isEqualTo(400);
    assertThat(trigger.body().get("field").asText()).isEqualTo("targets");

    for (var bad :
        List.of(
            Map.entry("cron", (Object) "* * *"),
            Map.entry("tz", (Object) "Mars/Base"),
            Map.entry("job", (Object) "nope"),
            Map.entry("concurrency", (Object) "sometimes"),
            Map.entry("misfire", (Object) "twice"),
            Map.entry("starting_deadline", (Object) 0))) {
      Map<String, Object> b = new HashMap<>(s);
      b.put("name", "other");
      b.put(bad.getKey(), bad.getValue());
      TestMaster.Response r = m.post("/api/v1/schedules", admin, b);
      assertThat(r.status()).as(bad.toString()).isEqualTo(400);
      assertThat(r.body().get("field").asText()).as(bad.toString()).isEqualTo(bad.getKey());
    }

    var delete =
        m.send(
            HttpRequest.newBuilder(URI.create(m.base + "/api/v1/schedules/nightly")).DELETE(),
            operator);
    assertThat(delete.status()).isEqualTo(403);
    delete =
        m.send(
            HttpRequest.newBuilder(URI.create(m.base + "/api/v1/schedules/nightly")).DELETE(),
            admin);
    assertThat(delete.status()).isEqualTo(204);
    assertThat(m.get("/api/v1/schedules/nightly", viewer).status()).isEqualTo(404);
    var unused =
        m.send(HttpRequest.newBuilder(URI.create(m.base + "/api/v1/jobs/backup")).DELETE(), admin);
    assertThat(unused.status()).isEqualTo(204);
    assertThat(m.get("/api/v1/jobs/backup", viewer).status()).isEqualTo(404);

    List<String> actions = new ArrayList<>();
    m.get("/api/v1/audit?limit=20", admin)
        .body()
        .forEach(e -> actions.add(e.get("actor").asText() + " " + e.get("action").asText()));
    assertThat(actions)
        .contains(
            "admin job.push",
            "admin schedule.create",
            "admin schedule.pause",
            "admin schedule.resume",
            "admin schedule.delete",
            "admin job.delete");
  }
}
