package io.mschedule.cli.client;

import static io.mschedule.cli.client.FakeMaster.event;
import static io.mschedule.cli.client.FakeMaster.run;
import static io.mschedule.cli.client.FakeMaster.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MasterClientTest {
  private final FakeMaster master = newMaster();

  private static FakeMaster newMaster() {
    try {
      return new FakeMaster();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    master.close();
  }

  @Test
  void agentsAreParsedWithSnakeCaseTimesAndUnknownFieldsIgnored() {
    master.json(
        "GET",
        "/api/v1/agents",
        200,
        "[{\"id\":\"4f0c\",\"hostname\":\"web-01\",\"ip\":[\"10.1.2.3\"],"
            + "\"labels\":{\"role\":\"web\"},\"state\":\"online\","
            + "\"last_seen\":\"2026-11-27T03:15:30.123Z\",\"first_seen\":\"2026-11-20T10:00:00Z\","
            + "\"version\":\"0.1.0\",\"running\":[\"t1\"],\"something_new\":[1,2]}]");
    List<Agent> agents = new MasterClient(master.url()).agents();
    assertThat(agents)
        .containsExactly(
            new Agent(
                "4f0c",
                "web-01",
                List.of("10.1.2.3"),
                Map.of("role", "web"),
                "online",
                Instant.parse("2026-11-27T03:15:30.123Z"),
                Instant.parse("2026-11-20T10:00:00Z"),
                "0.1.0",
                List.of("t1"),
                null));
    assertThat(agents.get(0).isOnline()).isTrue();
  }

  @Test
  void agentById() {
    master.json("GET", "/api/v1/agents/4f0c", 200, "{\"id\":\"4f0c\",\"hostname\":\"h\"}");
    Agent a = new MasterClient(master.url()).agent("4f0c");
    assertThat(a.hostname()).isEqualTo("h");
    assertThat(a.ip()).isEmpty();
    assertThat(a.lastSeen()).isNull();
  }

  @Test
  void submitSendsTheRequestFieldsAndReadsTheTask() throws Exception {
    master.json(
        "POST",
        "/api/v1/tasks",
        201,
        task("t1", "PENDING", null, run("a1", "web-01", "WAITING", null, null)));
    TaskRequest req =
        TaskRequest.of("hostname\n", List.of("role=web", "db*"))
            .withParallel(Parallel.percent(50))
            .withFailRate(0.2)
            .withFailCount(1)
            .withTimeout(30);
    Task t = new MasterClient(master.url()).submit(req);

    assertThat(t.id()).isEqualTo("t1");
    assertThat(t.state()).isEqualTo(TaskState.PENDING);
    assertThat(t.failCount()).isEqualTo(-1);
    assertThat(t.createdAt()).isEqualTo(Instant.parse("2026-11-27T03:15:30.123Z"));
    assertThat(t.runs())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.agentId()).isEqualTo("a1");
              assertThat(r.state()).isEqualTo(RunState.WAITING);
              assertThat(r.code()).isNull();
              assertThat(r.output()).isNull();
            });

    FakeMaster.Request sent = master.requests().get(0);
    assertThat(sent.header("Content-Type")).startsWith("application/json");
    JsonNode body = Json.mapper().readTree(sent.body());
    assertThat(body.get("script").asText()).isEqualTo("hostname\n");
    assertThat(body.get("targets").toString()).isEqualTo("[\"role=web\",\"db*\"]");
    assertThat(body.get("parallel").isTextual()).isTrue();
    assertThat(body.get("parallel").asText()).isEqualTo("50%");
    assertThat(body.get("fail_rate").asDouble()).isEqualTo(0.2);
    assertThat(body.get("fail_count").asInt()).isEqualTo(1);
    assertThat(body.get("timeout").asInt()).isEqualTo(30);
  }

  @Test
  void submitLeavesOutUnsetFieldsAndSendsACountAsInt() throws Exception {
    master.json("POST", "/api/v1/tasks", 201, task("t1", "PENDING", null));
    new MasterClient(master.url())
        .submit(TaskRequest.of("uptime\n", List.of()).withParallel(Parallel.of(0)));
    JsonNode body = Json.mapper().readTree(master.requests().get(0).body());
    assertThat(body.get("targets").toString()).isEqualTo("[\"all\"]");
    assertThat(body.get("parallel").isInt()).isTrue();
    assertThat(body.get("parallel").asInt()).isZero();
    assertThat(body.has("fail_rate")).isFalse();
    assertThat(body.has("fail_count")).isFalse();
    assertThat(body.has("timeout")).isFalse();
  }

  @Test
  void tasksSendsTheLimitAndTaskReadsOutputs() {
    master.json("GET", "/api/v1/tasks", 200, "[" + task("t2", "RUNNING", null) + "]");
    master.json(
        "GET",
        "/api/v1/tasks/t2",
        200,
        task("t2", "FAILED", "1 run failed", run("a", "web-01", "FAILED", 3, "boom\n")));
    MasterClient client = new MasterClient(master.url());
    assertThat(client.tasks(5)).extracting(Task::id).containsExactly("t2");
    assertThat(master.requests().get(0).query()).isEqualTo("limit=5");
    Task t = client.task("t2");
    assertThat(t.reason()).isEqualTo("1 run failed");
    assertThat(t.runs().get(0).code()).isEqualTo(3);
    assertThat(t.runs().get(0).output()).isEqualTo("boom\n");
  }

  @Test
  void taskFiltersAreSentAsQueryParameters() {
    master.json("GET", "/api/v1/tasks", 200, "[]");
    MasterClient client = new MasterClient(master.url());
    assertThat(client.tasks(7, List.of("failed", "killed"), "2026-11-01T08:00:00Z")).isEmpty();
    assertThat(client.tasks(3, List.of(), null)).isEmpty();
    assertThat(master.requests().get(0).query())
        .isEqualTo("limit=7&state=failed%2Ckilled&since=2026-11-01T08%3A00%3A00Z");
    assertThat(master.requests().get(1).query()).isEqualTo("limit=3");
  }

  @Test
  void unknownStatesAreReadAsUnknown() {
    master.json(
        "GET",
        "/api/v1/tasks/t3",
        200,
        task("t3", "PAUSED", null, run("a", "h", "THROTTLED", null, null)));
    Task t = new MasterClient(master.url()).task("t3");
    assertThat(t.state()).isEqualTo(TaskState.UNKNOWN);
    assertThat(t.runs().get(0).state()).isEqualTo(RunState.UNKNOWN);
  }

  @Test
  void errorsInTheApiShapeBecomeApiExceptions() {
    master.json(
        "POST",
        "/api/v1/tasks",
        400,
        "{\"status\": 400, \"error\": \"parallel must be >= 0 or a percentage like 50%\","
            + " \"field\": \"parallel\"}");
    MasterClient client = new MasterClient(master.url());
    assertThatThrownBy(() -> client.submit(TaskRequest.of("x", List.of())))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage())
                  .isEqualTo("parallel must be >= 0 or a percentage like 50%");
              assertThat(e.field()).isEqualTo("parallel");
            });
  }

  @Test
  void killOfAFinishedTaskIs409() {
    master.json(
        "POST",
        "/api/v1/tasks/t1/kill",
        409,
        "{\"status\":409,\"error\":\"task t1 has already ended (SUCCEEDED)\"}");
    assertThatThrownBy(() -> new MasterClient(master.url()).kill("t1"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.getMessage()).isEqualTo("task t1 has already ended (SUCCEEDED)");
              assertThat(e.field()).isNull();
            });
  }

  @Test
  void killReturnsTheTask() {
    master.json("POST", "/api/v1/tasks/t1/kill", 202, task("t1", "KILLED", "killed by ops"));
    assertThat(new MasterClient(master.url()).kill("t1").state()).isEqualTo(TaskState.KILLED);
    assertThat(master.requests().get(0).method()).isEqualTo("POST");
  }

  @Test
  void errorsWithoutTheApiShapeKeepStatusAndText() {
    master.route(
        "GET", "/api/v1/agents", ex -> FakeMaster.send(ex, 502, "text/plain", "Bad Gateway"));
    assertThatThrownBy(() -> new MasterClient(master.url()).agents())
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(502);
              assertThat(e.getMessage()).isEqualTo("HTTP 502: Bad Gateway");
            });
  }

  @Test
  void unknownIdIs404() {
    assertThatThrownBy(() -> new MasterClient(master.url()).task("nope"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void malformedSuccessAnswerIsAnApiException() {
    master.json("GET", "/api/v1/agents", 200, "<html>surprise</html>");
    assertThatThrownBy(() -> new MasterClient(master.url()).agents())
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("unexpected answer from the master");
  }

  @Test
  void bearerTokenIsSentWhenConfigured() {
    master.json("GET", "/api/v1/agents", 200, "[]");
    new MasterClient(master.url(), "s3cret").agents();
    new MasterClient(master.url(), null).agents();
    new MasterClient(master.url(), "  ").agents();
    List<FakeMaster.Request> reqs = master.requests();
    assertThat(reqs.get(0).header("Authorization")).isEqualTo("Bearer s3cret");
    assertThat(reqs.get(1).header("Authorization")).isNull();
    assertThat(reqs.get(2).header("Authorization")).isNull();
  }

  @Test
  void bearerTokenIsSentOnEventStreamsToo() throws Exception {
    master.route("GET", "/api/v1/tasks/t1/events", FakeMaster.sse(0));
    try (EventStream s =
        new MasterClient(master.url(), "tok").events("t1", new EventListener() {})) {
      assertThat(s.await(Duration.ofSeconds(5))).isTrue();
    }
    assertThat(master.requests().get(0).header("Authorization")).isEqualTo("Bearer tok");
    assertThat(master.requests().get(0).header("Accept")).isEqualTo("text/event-stream");
  }

  @Test
  void connectionRefusedNamesTheUrl() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;
    assertThatThrownBy(() -> new MasterClient(url).agents())
        .isInstanceOfSatisfying(
            MasterUnreachableException.class,
            e -> {
              assertThat(e.status()).isZero();
              assertThat(e.url()).isEqualTo(url);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "cannot reach the mschedule master at " + url + ": connection refused");
            });
  }

  @Test
  void baseUrlIsNormalized() {
    assertThat(MasterClient.normalize("10.0.0.1:8080/").toString())
        .isEqualTo("http://10.0.0.1:8080");
    assertThat(MasterClient.normalize("https://m.example/prefix//").toString())
        .isEqualTo("https://m.example/prefix");
    assertThatThrownBy(() -> MasterClient.normalize("ftp://x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MasterClient.normalize(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pathPrefixOfTheBaseUrlIsKept() {
    master.json("GET", "/prefix/api/v1/agents", 200, "[]");
    assertThat(new MasterClient(master.url() + "/prefix/").agents()).isEmpty();
  }

  @Test
  void eventsAreDeliveredInOrderAcrossChunkBoundaries() throws Exception {
    String first = task("t1", "RUNNING", null, run("a1", "web-01", "RUNNING", null, null));
    String stream =
        ": hello\n\n"
            + event("task", first)
            + event("output", "{\"agent_id\":\"a1\",\"data\":\"h\u00e9llo \u2713\\n\"}")
            + ":keep-alive\n\n"
            + "event: run\r\ndata: "
            + run("a1", "web-01", "SUCCEEDED", 0, null)
            + "\r\n\r\n"
            + "event: task\ndata: {\"id\":\"t1\",\n"
            + "data: \"state\":\"SUCCEEDED\"}\n\n"
            + "event: novelty\ndata: 42\n\n";
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    master.route(
        "GET",
        "/api/v1/tasks/t1/events",
        ex -> {
          ex.getResponseHeaders().set("Content-Type", "text/event-stream");
          ex.sendResponseHeaders(200, 0);
          try (OutputStream os = ex.getResponseBody()) {
            for (int i = 0; i < bytes.length; i += 5) { // splits lines and UTF-8 characters
              os.write(bytes, i, Math.min(5, bytes.length - i));
              os.flush();
            }
          }
        });
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicReference<Throwable> closedWith = new AtomicReference<>(new Throwable("not closed"));
    EventListener listener =
        new EventListener() {
          @Override
          public void onTask(Task task) {
            seen.add("task " + task.state() + " runs=" + task.runs().size());
          }

          @Override
          public void onRun(Run run) {
            seen.add("run " + run.hostname() + " " + run.state() + " rc=" + run.code());
          }

          @Override
          public void onOutput(OutputChunk chunk) {
            seen.add("output " + chunk.agentId() + " " + chunk.data());
          }

          @Override
          public void onOther(String event, String data) {
            seen.add("other " + event + " " + data);
          }

          @Override
          public void onClosed(Throwable error) {
            closedWith.set(error);
          }
        };
    try (EventStream s = new MasterClient(master.url()).events("t1", listener)) {
      assertThat(s.await(Duration.ofSeconds(10))).isTrue();
      assertThat(s.error()).isNull();
    }
    assertThat(seen)
        .containsExactly(
            "task RUNNING runs=1",
            "output a1 h\u00e9llo \u2713\n",
            "run web-01 SUCCEEDED rc=0",
            "task SUCCEEDED runs=0",
            "other novelty 42");
    assertThat(closedWith.get()).isNull();
  }

  @Test
  void eachEventIsDeliveredBeforeTheNextChunkIsSent() throws Exception {
    CountDownLatch firstSeen = new CountDownLatch(1);
    CountDownLatch sentSecond = new CountDownLatch(1);
    master.route(
        "GET",
        "/api/v1/tasks/t1/events",
        ex -> {
          ex.sendResponseHeaders(200, 0);
          try (OutputStream os = ex.getResponseBody()) {
            os.write(event("output", "{\"agent_id\":\"a\",\"data\":\"1\"}").getBytes());
            os.flush();
            // the client must see the first event while the stream is still open
            if (!firstSeen.await(10, TimeUnit.SECONDS)) {
              return;
            }
            os.write(event("output", "{\"agent_id\":\"a\",\"data\":\"2\"}").getBytes());
            os.flush();
            sentSecond.countDown();
          }
        });
    List<String> data = new CopyOnWriteArrayList<>();
    EventListener listener =
        new EventListener() {
          @Override
          public void onOutput(OutputChunk chunk) {
            data.add(chunk.data());
            firstSeen.countDown();
          }
        };
    try (EventStream s = new MasterClient(master.url()).events("t1", listener)) {
      assertThat(s.await(Duration.ofSeconds(15))).isTrue();
    }
    assertThat(sentSecond.getCount()).isZero();
    assertThat(data).containsExactly("1", "2");
  }

  @Test
  void eventsOfAnUnknownTaskThrowAtOnce() {
    MasterClient client = new MasterClient(master.url());
    assertThatThrownBy(() -> client.events("nope", new EventListener() {}))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void closingStopsAStreamThatNeverEnds() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    master.route(
        "GET",
        "/api/v1/tasks/t1/events",
        ex -> {
          ex.sendResponseHeaders(200, 0);
          OutputStream os = ex.getResponseBody();
          os.write(": open\n\n".getBytes());
          os.flush();
          release.await(30, TimeUnit.SECONDS);
        });
    CountDownLatch closed = new CountDownLatch(1);
    AtomicReference<Throwable> error = new AtomicReference<>();
    EventStream s =
        new MasterClient(master.url())
            .events(
                "t1",
                new EventListener() {
                  @Override
                  public void onClosed(Throwable e) {
                    error.set(e);
                    closed.countDown();
                  }
                });
    assertThat(s.isDone()).isFalse();
    s.close();
    assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(s.await(Duration.ofSeconds(5))).isTrue();
    assertThat(error.get()).isNull();
    release.countDown();
  }

  @Test
  void aBrokenStreamReportsTheError() throws Exception {
    master.route(
        "GET",
        "/api/v1/tasks/t1/events",
        ex -> {
          ex.sendResponseHeaders(200, 0);
          OutputStream os = ex.getResponseBody();
          os.write(event("run", "{not json").getBytes());
          os.flush();
          Thread.sleep(200);
        });
    try (EventStream s = new MasterClient(master.url()).events("t1", new EventListener() {})) {
      assertThat(s.await(Duration.ofSeconds(10))).isTrue();
      assertThat(s.error())
          .isInstanceOf(ApiException.class)
          .hasMessageContaining("malformed 'run'");
    }
  }

  @Test
  void parallelParsesCountsAndPercentages() {
    assertThat(Parallel.parse("50%")).isEqualTo(Parallel.percent(50));
    assertThat(Parallel.parse("0")).isEqualTo(Parallel.of(0));
    assertThat(Parallel.parse("100%").toJson()).isEqualTo("100%");
    assertThat(Parallel.parse("3").toJson()).isEqualTo(3);
    for (String bad : List.of("-1", "0%", "101%", "abc", "", "5%%", "1.5")) {
      assertThatThrownBy(() -> Parallel.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
