package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API security end to end: a real master and agent, the real CLI, tokens and roles. */
class ApiSecurityIT {
  @TempDir static Path dir;
  static Cluster c;
  static String admin;

  @BeforeAll
  static void up() {
    c = Cluster.start(dir, 1, 1);
    admin = c.adminToken();
  }

  @AfterAll
  static void down() {
    if (c != null) {
      c.close();
    }
  }

  /** A client of the cluster's API with {@code token} (null for none). */
  static Api as(String token) {
    Api a = new Api(c.api.base());
    a.token(token);
    return a;
  }

  static JsonNode createToken(String role, String name) {
    Api.Response r = as(admin).post("/api/v1/tokens", Map.of("role", role, "name", name));
    assertThat(r.status()).as(r.body() == null ? "" : r.body().toString()).isEqualTo(201);
    return r.body();
  }

  static Map<String, Object> task(String script) {
    return Map.of("script", script, "targets", List.of("all"));
  }

  static String sha256(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  record Result(int code, String out, String err) {}

  /**
   * Runs {@code mschedule ARGS} with a private config directory and no token in the environment.
   */
  static Result cli(Path configHome, String... args) {
    Path out = dir.resolve("cli-" + System.nanoTime() + ".out");
    Path err = dir.resolve("cli-" + System.nanoTime() + ".err");
    Process p = startJar(configHome, out, err, List.of(args));
    try {
      assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("mschedule %s ends", List.of(args)).isTrue();
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Process startJar(Path configHome, Path out, Path err, List<String> args) {
    return startJar(configHome, out, err, args, Map.of());
  }

  static Process startJar(
      Path configHome, Path out, Path err, List<String> args, Map<String, String> extraEnv) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    cmd.add("-jar");
    cmd.add(JavaProcess.JAR.toAbsolutePath().toString());
    cmd.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(new File("/dev/null"));
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("MSCHEDULE_"));
    env.put("XDG_CONFIG_HOME", configHome.toString());
    env.put("HOME", configHome.resolve("home").toString());
    env.putAll(extraEnv);
    try {
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void without_a_valid_token_every_call_is_401() {
    for (String path : List.of("/api/v1/agents", "/api/v1/tasks", "/api/v1/tokens")) {
      Api.Response r = as(null).get(path);
      assertThat(r.status()).as(path).isEqualTo(401);
      assertThat(r.body().get("status").asInt()).isEqualTo(401);
      assertThat(r.body().get("error").asText()).isNotBlank();
    }
    assertThat(as("mst_nonsense").get("/api/v1/agents").status()).isEqualTo(401);
    assertThat(as(null).post("/api/v1/tasks", task("id")).status()).isEqualTo(401);
  }

  @Test
  void a_viewer_reads_but_may_not_run() {
    String viewer = createToken("viewer", "viewer-it").get("token").asText();
    assertThat(as(viewer).get("/api/v1/agents").status()).isEqualTo(200);
    Api.Response r = as(viewer).post("/api/v1/tasks", task("echo no"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body().get("error").asText()).contains("operator");
    assertThat(as(viewer).get("/api/v1/tokens").status()).isEqualTo(403);
  }

  @Test
  void an_operator_runs_and_kills_and_the_audit_log_names_the_token() throws Exception {
    String ops = createToken("operator", "ops-it").get("token").asText();
    Api api = as(ops);
    String quick = "echo hello-from-ops";
    Api.Response submitted = api.post("/api/v1/tasks", task(quick));
    assertThat(submitted.status()).isEqualTo(201);
    String runId = submitted.body().get("id").asText();
    await("quick task ends")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> api.get("/api/v1/tasks/" + runId).body().get("finished_at").isTextual());
    JsonNode done = api.get("/api/v1/tasks/" + runId).body();
    assertThat(done.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(done.get("runs").get(0).get("output").asText()).contains("hello-from-ops");

    String slow = "sleep 3031";
    Api.Response second = api.post("/api/v1/tasks", task(slow));
    assertThat(second.status()).isEqualTo(201);
    String killId = second.body().get("id").asText();
    await("slow task running")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                api.get("/api/v1/tasks/" + killId).body().get("counts").path("RUNNING").asInt()
                    == 1);
    assertThat(api.post("/api/v1/tasks/" + killId + "/kill", "").status()).isEqualTo(202);
    await("slow task killed")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> api.get("/api/v1/tasks/" + killId).body().get("state").asText().equals("KILLED"));

    assertThat(api.get("/api/v1/audit").status()).isEqualTo(403);
    JsonNode audit = as(admin).get("/api/v1/audit?limit=200").body();
    Map<String, JsonNode> byKey = new HashMap<>();
    for (JsonNode e : audit) {
      byKey.put(e.get("action").asText() + " " + e.get("target").asText(), e);
    }
    JsonNode submit = byKey.get("task.submit " + runId);
    assertThat(submit).isNotNull();
    assertThat(submit.get("actor").asText()).isEqualTo("ops-it");
    assertThat(submit.get("detail").asText()).contains("sha256=" + sha256(quick));
    assertThat(byKey.get("task.submit " + killId).get("actor").asText()).isEqualTo("ops-it");
    JsonNode kill = byKey.get("task.kill " + killId);
    assertThat(kill).isNotNull();
    assertThat(kill.get("actor").asText()).isEqualTo("ops-it");
    Procs.killAll("sleep 3031");
  }

  @Test
  void an_admin_creates_and_revokes_tokens_and_revocation_holds_at_once() {
    JsonNode t = createToken("viewer", "short-lived");
    String secret = t.get("token").asText();
    assertThat(as(secret).get("/api/v1/whoami").body().get("name").asText())
        .isEqualTo("short-lived");
    Api.Response list = as(admin).get("/api/v1/tokens");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body().toString()).doesNotContain(secret).doesNotContain("mst_");
    Api.Response revoked = as(admin).post("/api/v1/tokens/" + t.get("id").asText() + "/revoke", "");
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(as(secret).get("/api/v1/agents").status()).isEqualTo(401);
    JsonNode audit = as(admin).get("/api/v1/audit?limit=50").body();
    assertThat(audit.toString())
        .contains("token.revoke")
        .contains(t.get("id").asText())
        .doesNotContain(secret);
  }

  @Test
  void token_create_prints_a_working_token_on_its_last_line_and_no_secret_reaches_the_logs()
      throws Exception {
    Path cfg = dir.resolve("cfg-token");
    Result r =
        cli(
            cfg,
            "token",
            "create",
            "--role",
            "viewer",
            "--name",
            "cli-viewer",
            "--server",
            c.api.base(),
            "--token",
            admin);
    assertThat(r.code()).as(r.err()).isZero();
    String[] lines = r.out().strip().split("\n");
    String token = lines[lines.length - 1].strip();
    assertThat(token).startsWith("mst_");
    assertThat(as(token).get("/api/v1/agents").status()).isEqualTo(200);
    assertThat(as(token).get("/api/v1/whoami").body().get("role").asText()).isEqualTo("viewer");

    Result list = cli(cfg, "token", "list", "--server", c.api.base(), "--token", admin);
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out()).contains("cli-viewer").doesNotContain(token).doesNotContain("mst_");

    String id = null;
    for (JsonNode t : as(admin).get("/api/v1/tokens").body()) {
      if (t.get("name").asText().equals("cli-viewer")) {
        id = t.get("id").asText();
      }
    }
    Result revoke = cli(cfg, "token", "revoke", id, "--server", c.api.base(), "--token", admin);
    assertThat(revoke.code()).as(revoke.err()).isZero();
    assertThat(as(token).get("/api/v1/agents").status()).isEqualTo(401);

    Result audit = cli(cfg, "audit", "--server", c.api.base(), "--token", admin);
    assertThat(audit.code()).as(audit.err()).isZero();
    assertThat(audit.out()).contains("token.create").contains("token.revoke");

    String masterOut = Files.readString(dir.resolve("logs/master.out"));
    String masterLog = Files.readString(dir.resolve("master/master.log"));
    for (String secret : List.of(token, sha256(token))) {
      assertThat(masterOut).doesNotContain(secret);
      assertThat(masterLog).doesNotContain(secret);
    }
    assertThat(masterLog).contains("token.create").doesNotContain(admin);
    // the first admin token is printed once, on the first start, and never logged
    assertThat(masterOut.split(admin, -1)).hasSize(2);
  }

  @Test
  void up_then_agents_and_run_work_with_no_token_typed() throws Exception {
    Path cfg = dir.resolve("cfg-up");
    Path data = dir.resolve("up-data");
    int http = Ports.free();
    int agentPort = Ports.free();
    Process up =
        startJar(
            cfg,
            dir.resolve("up.out"),
            dir.resolve("up.err"),
            List.of(
                "up",
                "--data-dir",
                data.toString(),
                "--agents",
                "1",
                "--agent-bind",
                "tcp://127.0.0.1:" + agentPort),
            Map.of("MSCHEDULE_HTTP_BIND", "127.0.0.1:" + http));
    try {
      Path tokens = cfg.resolve("mschedule/tokens");
      await("up saves the admin token")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> Files.exists(tokens) || !up.isAlive());
      assertThat(up.isAlive()).as(Files.readString(dir.resolve("up.err"))).isTrue();
      assertThat(Files.getPosixFilePermissions(tokens))
          .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      String server = "http://127.0.0.1:" + http;
      await("the local agent is online")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> cli(cfg, "agents", "--server", server).out().contains("online"));
      Result agents = cli(cfg, "agents", "--server", server);
      assertThat(agents.code()).as(agents.err()).isZero();
      Result run = cli(cfg, "run", "-t", "all", "-c", "echo up-works", "--server", server);
      assertThat(run.code()).as(run.err()).isZero();
      // (the run's output is not asserted: the CLI may print a fast run before its output
      // events arrive, which has nothing to do with tokens)
      assertThat(run.out()).contains("SUCCESS").contains("SUCCEEDED");
      assertThat(Files.readString(dir.resolve("up.out")))
          .contains("saved for the CLI")
          .contains("bin/mschedule --server " + server + " agents");
    } finally {
      up.destroy();
      if (!up.waitFor(20, TimeUnit.SECONDS)) {
        up.destroyForcibly();
      }
    }
  }
}
