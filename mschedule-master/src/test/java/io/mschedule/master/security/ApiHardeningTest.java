package io.mschedule.master.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mschedule.master.config.MasterConfig;
import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.message.MessageTypes;
import io.mschedule.protocol.message.Register;
import io.mschedule.protocol.zerorpc.ClientOptions;
import io.mschedule.protocol.zerorpc.CurveKeys;
import io.mschedule.protocol.zerorpc.ZeroRpcClient;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API against requests that bend the rules, on a real master (this JVM, real H2). */
class ApiHardeningTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private TestMaster master(Map<String, String> settings) {
    TestMaster m = new TestMaster(dir, settings);
    open.add(m);
    return m;
  }

  /** A fake agent with an accepted key, online, that never runs anything. */
  private String onlineAgent(TestMaster m) throws Exception {
    CurveKeys.KeyPair keys = CurveKeys.generate();
    ZeroRpcClient c =
        ZeroRpcClient.connect(
            new ClientOptions("tcp://127.0.0.1:" + m.server.agentPort())
                .curve(
                    CurveKeys.decodeZ85(m.server.publicKey()), keys.publicKey(), keys.secretKey()));
    open.add(c);
    String id = "0123456789abcdef0123456789abcdef";
    c.call(
            MessageTypes.METHOD_SENDMSG,
            Duration.ofSeconds(10),
            MessageCodec.encode(
                new Register(
                    id,
                    "web-01",
                    List.of("10.0.0.1"),
                    Map.of(),
                    "1",
                    MessageTypes.PROTOCOL_VERSION,
                    List.of(),
                    null)))
        .get(10, TimeUnit.SECONDS);
    assertThat(m.post("/api/v1/keys/" + id + "/accept", m.adminToken(), null).status())
        .isEqualTo(200);
    return id;
  }

  private TestMaster.Response raw(
      TestMaster m, String method, String path, String type, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(m.base + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return m.send(b, m.adminToken());
  }

  private static void assertProblem(TestMaster.Response r, int status, String error) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.body()).as(r.text()).isNotNull();
    assertThat(r.body().get("status").asInt()).isEqualTo(status);
    assertThat(r.body().get("error").asText()).contains(error);
  }

  @Test
  void everyResponseCarriesTheSecurityHeaders() throws Exception {
    TestMaster m = master(Map.of());
    List<HttpResponse<String>> answers =
        List.of(
            m.get("/api/v1/agents", m.adminToken()).raw(),
            m.get("/api/v1/agents", null).raw(),
            m.get("/", null).raw(),
            m.get("/no/such/file", null).raw(),
            m.get("/api/v1/" + "a".repeat(20_000), null).raw());
    for (HttpResponse<String> r : answers) {
      assertThat(r.headers().firstValue("X-Frame-Options")).as(r.uri() + "").hasValue("DENY");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
      assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("frame-ancestors 'none'")
          .contains("default-src 'none'");
    }
  }

  @Test
  void unknownRoutesWrongMethodsAndLongUrisAnswerInTheApiShape() throws Exception {
    TestMaster m = master(Map.of());
    assertProblem(m.get("/api/v1/nothing-here", m.adminToken()), 404, "no such resource");
    assertProblem(raw(m, "DELETE", "/api/v1/agents", null, null), 405, "DELETE is not allowed");
    String longId = "a".repeat(5000);
    for (String path :
        List.of(
            "/api/v1/tasks/" + longId,
            "/api/v1/agents/" + longId,
            "/api/v1/tasks/" + longId + "/kill",
            "/api/v1/keys/" + longId + "/accept",
            "/api/v1/tokens/" + longId + "/revoke")) {
      String method =
          path.endsWith("kill") || path.contains("/v1/keys/") || path.endsWith("revoke")
              ? "POST"
              : "GET";
      assertProblem(raw(m, method, path, null, null), 404, "ids have at most 128");
    }
    assertProblem(m.get("/api/v1/" + "a".repeat(20_000), m.adminToken()), 414, "URI too long");
  }

  @Test
  void aMethodOverrideHeaderCannotTurnAGetIntoAPost() throws Exception {
    TestMaster m = master(Map.of());
    onlineAgent(m);
    JsonNode task =
        m.post(
                "/api/v1/tasks",
                m.adminToken(),
                Map.of("script", "sleep 100", "targets", List.of("all")))
            .body();
    String id = task.get("id").asText();
    for (String header : List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override")) {
      TestMaster.Response r =
          raw(m, "GET", "/api/v1/tasks/" + id + "/kill", null, null, header, "POST");
      assertProblem(r, 405, "GET is not allowed");
    }
    assertThat(m.get("/api/v1/tasks/" + id, m.adminToken()).body().get("state").asText())
        .isNotEqualTo("KILLED");
    int tokens = m.get("/api/v1/tokens", m.adminToken()).body().size();
    TestMaster.Response list =
        raw(
            m,
            "GET",
            "/api/v1/tokens",
            "application/json",
            "{\"role\":\"admin\",\"name\":\"x\"}",
            "X-HTTP-Method-Override",
            "POST");
    assertThat(list.status()).isEqualTo(200);
    assertThat(m.get("/api/v1/tokens", m.adminToken()).body().size()).isEqualTo(tokens);
  }

  @Test
  void looseTaskSubmissionsAreRefusedNamingTheProblem() throws Exception {
    TestMaster m = master(Map.of(MasterConfig.MAX_TARGETS, "2"));
    onlineAgent(m);
    String ok = "{\"script\": \"id\", \"targets\": [\"all\"]}";
    assertProblem(
        raw(m, "POST", "/api/v1/tasks", "text/plain", ok), 415, "expected application/json");
    assertProblem(
        raw(m, "POST", "/api/v1/tasks", "application/x-www-form-urlencoded", "script=id"),
        415,
        "Content-Type");
    assertProblem(raw(m, "POST", "/api/v1/tasks", null, ok), 415, "got none");
    Map<String, String> bad =
        Map.of(
            "{\"script\": \"id\", \"targets\": \"all\"}",
            "targets: expected an array",
            "{\"script\": \"id\", \"targets\": [\"all\"], \"parallel\": 1099511627776}",
            "parallel: expected a whole number that fits",
            "{\"script\": \"id\", \"script\": \"rm -rf /\", \"targets\": [\"all\"]}",
            "Duplicate field 'script'",
            ok + " {\"script\": \"other\"}",
            "not valid JSON",
            ok + " garbage",
            "not valid JSON",
            "{\"script\": \"id\", \"targets\": [\"all\", \"all\"]}",
            "'all' is listed twice",
            "{\"script\": \"id\", \"targets\": [\"a\", \"b\", \"c\"]}",
            "at most 2 targets (max-targets)");
    for (Map.Entry<String, String> e : bad.entrySet()) {
      assertProblem(
          raw(m, "POST", "/api/v1/tasks", "application/json; charset=utf-8", e.getKey()),
          400,
          e.getValue());
    }
    assertThat(raw(m, "POST", "/api/v1/tasks", "application/json", ok).status()).isEqualTo(201);
  }

  @Test
  void taskListsCarryTheScriptsSizeAndHashNotTheScript() throws Exception {
    TestMaster m = master(Map.of());
    onlineAgent(m);
    String id =
        m.post(
                "/api/v1/tasks",
                m.adminToken(),
                Map.of("script", "echo hi\n", "targets", List.of("all")))
            .body()
            .get("id")
            .asText();
    JsonNode listed = m.get("/api/v1/tasks", m.adminToken()).body().get(0);
    assertThat(listed.get("id").asText()).isEqualTo(id);
    assertThat(listed.has("script")).isFalse();
    assertThat(listed.get("script_bytes").asInt()).isEqualTo(8);
    assertThat(listed.get("script_sha256").asText()).isEqualTo(sha256("echo hi\n"));
    assertThat(m.get("/api/v1/tasks/" + id, m.adminToken()).body().get("script").asText())
        .isEqualTo("echo hi\n");
  }

  private static String sha256(String s) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void eventStreamsNeedTheRightAcceptAndAreCapped() throws Exception {
    TestMaster m =
        master(Map.of(MasterConfig.MAX_STREAMS_PER_TOKEN, "2", MasterConfig.MAX_STREAMS, "3"));
    onlineAgent(m);
    String admin = m.adminToken();
    String viewer = m.createToken("viewer", "v").get("token").asText();
    String id =
        m.post("/api/v1/tasks", admin, Map.of("script", "sleep 100", "targets", List.of("all")))
            .body()
            .get("id")
            .asText();
    String path = "/api/v1/tasks/" + id + "/events";
    assertProblem(m.get(path, admin), 406, "Accept: text/event-stream");

    List<InputStream> streams = new ArrayList<>();
    try {
      streams.add(stream(m, path, admin, 200));
      streams.add(stream(m, path, admin, 200));
      TestMaster.Response third =
          m.send(
              HttpRequest.newBuilder(URI.create(m.base + path))
                  .header("Accept", "text/event-stream"),
              admin);
      assertProblem(third, 429, "max-streams-per-token = 2");
      streams.add(stream(m, path, viewer, 200));
      TestMaster.Response fourth =
          m.send(
              HttpRequest.newBuilder(URI.create(m.base + path))
                  .header("Accept", "text/event-stream"),
              viewer);
      assertProblem(fourth, 429, "at most 3 live event streams at once (max-streams)");
    } finally {
      for (InputStream s : streams) {
        s.close();
      }
    }
  }

  private static InputStream stream(TestMaster m, String path, String token, int status)
      throws Exception {
    HttpResponse<InputStream> r =
        m.http.send(
            HttpRequest.newBuilder(URI.create(m.base + path))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(status);
    r.body().read(); // the first event has arrived: the stream is being served
    return r.body();
  }

  @Test
  void failedAuthenticationsAreThrottledPerAddress() throws Exception {
    TestMaster m = master(Map.of());
    TestMaster.Response last = null;
    for (int i = 0; i < 200 && (last == null || last.status() != 429); i++) {
      last = m.get("/api/v1/agents", "mst_wrong" + "x".repeat(40));
    }
    assertProblem(last, 429, "too many failed authentications from 127.0.0.1");
    assertThat(last.raw().headers().firstValue("Retry-After")).hasValue("1");
  }

  @Test
  void theDataDirIsPrivate() throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("old.log"), "x");
    Files.setPosixFilePermissions(
        dir.resolve("old.log"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    master(Map.of());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        assertThat(perms)
            .as(p.toString())
            .isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
      }
    }
  }
}
