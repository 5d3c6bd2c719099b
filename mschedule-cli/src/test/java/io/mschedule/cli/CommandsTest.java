package io.mschedule.cli;

import static io.mschedule.cli.client.FakeMaster.event;
import static io.mschedule.cli.client.FakeMaster.run;
import static io.mschedule.cli.client.FakeMaster.sse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mschedule.cli.client.FakeMaster;
import io.mschedule.cli.client.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The commands against a fake master that speaks the API of docs/api.md. */
class CommandsTest {
  private final FakeMaster master;
  private final Cli cli = new Cli();

  CommandsTest() throws IOException {
    master = new FakeMaster();
  }

  @AfterEach
  void stop() {
    master.close();
  }

  private int mschedule(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--server";
    all[args.length + 1] = master.url();
    return cli.run(all);
  }

  /** A task with counts. */
  private static String task(String state, String reason, String counts, String... runs) {
    return FakeMaster.task("t1", state, reason, runs)
        .replace("\"counts\":{}", "\"counts\":" + counts);
  }

  private void submitted(String... runs) {
    master.json("POST", "/api/v1/tasks", 201, task("PENDING", null, "{}", runs));
  }

  /**
   * Three hosts, two at once: web-01 ended before the stream opened, web-02 fails, web-03 is
   * skipped.
   */
  private void threeHostsTwoAtOnce() {
    threeHostsTwoAtOnce(5);
  }

  private void threeHostsTwoAtOnce(long pauseMillis) {
    submitted(
        run("a1", "web-01", "WAITING", null, null),
        run("a2", "web-02", "WAITING", null, null),
        run("a3", "web-03", "WAITING", null, null));
    master.route(
        "GET",
        "/api/v1/tasks/t1/events",
        sse(
            pauseMillis,
            event(
                "task",
                twoAtOnce(
                    task(
                        "RUNNING",
                        null,
                        "{}",
                        run("a1", "web-01", "SUCCEEDED", 0, "web-01\n"),
                        run("a2", "web-02", "RUNNING", null, null),
                        run("a3", "web-03", "WAITING", null, null)))),
            ": keep-alive\n\n",
            event("output", "{\"agent_id\":\"a2\",\"data\":\"partial \"}"),
            event("output", "{\"agent_id\":\"a2\",\"data\":\"line\\n\"}"),
            event("run", run("a2", "web-02", "FAILED", 1, null)),
            event("run", run("a3", "web-03", "SKIPPED", null, null)),
            event("task", task("FAILED", "1 run failed", "{}"))));
    master.json(
        "GET",
        "/api/v1/tasks/t1",
        200,
        task(
            "FAILED",
            "1 run failed",
            "{\"SUCCEEDED\":1,\"FAILED\":1,\"SKIPPED\":1}",
            run("a1", "web-01", "SUCCEEDED", 0, "web-01\n"),
            run("a2", "web-02", "FAILED", 1, "partial line\n"),
            run("a3", "web-03", "SKIPPED", null, null)));
  }

  private static String twoAtOnce(String task) {
    return task.replace("\"parallel\":1", "\"parallel\":2");
  }

  @Test
  void runStreamsLinesPrefixedByHostThenRecapsTheHostsThatDidNotSucceed() throws Exception {
    threeHostsTwoAtOnce();

    assertThat(mschedule("run", "-t", "web*", "-p", "50%", "-c", "hostname")).isEqualTo(2);

    assertThat(cli.out())
        .isEqualTo(
            "web-01 | web-01\n"
                + "web-01 | SUCCESS | rc=0\n"
                + "web-02 | partial line\n"
                + "web-02 | FAILED | rc=1\n"
                + "web-03 | SKIPPED\n"
                + "\n"
                + "FAILED (1): web-02\n"
                + "SKIPPED (1): web-03\n"
                + "task t1 FAILED: SUCCESS=1 FAILED=1 SKIPPED=1 (reason: 1 run failed)\n");
    assertThat(cli.err()).contains("task t1 submitted: 3 hosts");
    assertThat(cli.err()).doesNotContain(" done, "); // no progress line off a terminal
    JsonNode body = Json.mapper().readTree(master.requests().get(0).body());
    assertThat(body.get("parallel").asText()).isEqualTo("50%");
    assertThat(body.get("targets").get(0).asText()).isEqualTo("web*");
  }

  @Test
  void progressShowsOnStderrWhileWaitingAndIsClearedAtTheEnd() throws Exception {
    threeHostsTwoAtOnce(300); // slow enough for the follower to wait between events
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    java.io.PrintWriter errWriter = new java.io.PrintWriter(err);
    TaskFollower follower =
        new TaskFollower(
            new io.mschedule.cli.client.MasterClient(master.url()),
            new java.io.PrintWriter(out),
            errWriter,
            TaskFollower.Mode.LIVE,
            Colors.PLAIN,
            Progress.on(errWriter));

    assertThat(follower.follow("t1").state().name()).isEqualTo("FAILED");

    assertThat(err.toString())
        .contains("\r\u001b[K1/3 done, 0 failed")
        .contains("\r\u001b[K2/3 done, 1 failed")
        .endsWith("\r\u001b[K");
    assertThat(out.toString()).doesNotContain("done,").contains("web-02 | partial line\n");
  }

  @Test
  void runWithoutInterleavingPrintsEachHostAsABlockWhenItEnds() {
    threeHostsTwoAtOnce();

    assertThat(mschedule("run", "--no-interleave", "-c", "hostname")).isEqualTo(2);

    assertThat(cli.out())
        .isEqualTo(
            "web-01 | SUCCESS | rc=0 >>\n"
                + "web-01\n"
                + "web-02 | FAILED | rc=1 >>\n"
                + "partial line\n"
                + "web-03 | SKIPPED\n"
                + "\n"
                + "FAILED (1): web-02\n"
                + "SKIPPED (1): web-03\n"
                + "task t1 FAILED: SUCCESS=1 FAILED=1 SKIPPED=1 (reason: 1 run failed)\n");
  }

  @Test
  void whenTheStreamBreaksItPollsAndMissesNothing() {
    submitted(
        run("a1", "web-01", "WAITING", null, null), run("a2", "web-02", "WAITING", null, null));
    master.route(
        "GET",
        "/api/v1/tasks/t1/events",
        sse(
            0,
            event(
                "task",
                task(
                    "RUNNING",
                    null,
                    "{}",
                    run("a1", "web-01", "RUNNING", null, null),
                    run("a2", "web-02", "WAITING", null, null))),
            "event: run\ndata: {\"agent_id\""));
    master
        .json(
            "GET",
            "/api/v1/tasks/t1",
            200,
            task(
                "RUNNING",
                null,
                "{}",
                run("a1", "web-01", "SUCCEEDED", 0, "one\n"),
                run("a2", "web-02", "RUNNING", null, null)))
        .json(
            "GET",
            "/api/v1/tasks/t1",
            200,
            task(
                "SUCCEEDED",
                null,
                "{\"SUCCEEDED\":2}",
                run("a1", "web-01", "SUCCEEDED", 0, "one\n"),
                run("a2", "web-02", "SUCCEEDED", 0, "two\n")));

    assertThat(mschedule("run", "-c", "hostname")).isZero();

    assertThat(cli.out())
        .isEqualTo(
            "web-01 >>\n"
                + "one\n"
                + "web-01 | SUCCESS | rc=0\n"
                + "web-02 >>\n"
                + "two\n"
                + "web-02 | SUCCESS | rc=0\n"
                + "\n"
                + "task t1 SUCCEEDED: SUCCESS=2\n");
    assertThat(cli.err()).contains("polling the task instead");
  }

  @Test
  void withoutLiveEventsItPolls() {
    submitted(run("a1", "web-01", "WAITING", null, null));
    master.json("GET", "/api/v1/tasks/t1/events", 501, "{\"status\":501,\"error\":\"no SSE\"}");
    master.json(
        "GET",
        "/api/v1/tasks/t1",
        200,
        task("KILLED", "killed by ops", "{\"KILLED\":1}", run("a1", "web-01", "KILLED", 137, "")));
    assertThat(mschedule("run", "-c", "sleep 100")).isEqualTo(4);
    assertThat(cli.out())
        .isEqualTo(
            "web-01 | KILLED | rc=137\n"
                + "\n"
                + "KILLED (1): web-01\n"
                + "task t1 KILLED: KILLED=1 (reason: killed by ops)\n");
    assertThat(cli.err()).contains("HTTP 501: no SSE");
  }

  @ParameterizedTest
  @CsvSource({"SUCCEEDED,0", "FAILED,2", "ABORTED,3", "KILLED,4"})
  void exitStatusFollowsTheTaskState(String state, int exit) {
    submitted(run("a1", "web-01", "WAITING", null, null));
    master.route(
        "GET",
        "/api/v1/tasks/t1/events",
        sse(0, event("task", task(state, null, "{}", run("a1", "web-01", "SKIPPED", null, null)))));
    master.json(
        "GET",
        "/api/v1/tasks/t1",
        200,
        task(state, null, "{}", run("a1", "web-01", "SKIPPED", null, null)));
    assertThat(mschedule("run", "-c", "true")).isEqualTo(exit);
    assertThat(cli.out()).endsWith("task t1 " + state + ": SKIPPED=1\n");
  }

  @Test
  void detachPrintsTheTaskId() {
    submitted(run("a1", "web-01", "WAITING", null, null));
    assertThat(mschedule("run", "--detach", "-c", "uptime")).isZero();
    assertThat(cli.out()).isEqualTo("t1\n");
    assertThat(master.requests()).hasSize(1);
  }

  @Test
  void jsonPrintsTheFinalTask() throws Exception {
    submitted(run("a1", "web-01", "WAITING", null, null));
    master.route(
        "GET", "/api/v1/tasks/t1/events", sse(0, event("task", task("SUCCEEDED", null, "{}"))));
    master.json(
        "GET",
        "/api/v1/tasks/t1",
        200,
        task("SUCCEEDED", null, "{\"SUCCEEDED\":1}", run("a1", "web-01", "SUCCEEDED", 0, "hi\n")));
    assertThat(mschedule("run", "--json", "-c", "echo hi")).isZero();
    JsonNode t = Json.mapper().readTree(cli.out());
    assertThat(t.get("id").asText()).isEqualTo("t1");
    assertThat(t.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(t.get("fail_count").asInt()).isEqualTo(-1);
    assertThat(t.get("created_at").asText()).isEqualTo("2026-11-27T03:15:30.123Z");
    assertThat(t.get("finished_at").isNull()).isTrue();
    assertThat(t.get("counts").get("SUCCEEDED").asInt()).isEqualTo(1);
    JsonNode r = t.get("runs").get(0);
    assertThat(r.get("agent_id").asText()).isEqualTo("a1");
    assertThat(r.get("output").asText()).isEqualTo("hi\n");
    assertThat(r.get("code").asInt()).isZero();
    assertThat(cli.out()).contains("\n  \"id\""); // pretty
  }

  @Test
  void apiErrorsGoToStderrWithTheField() {
    master.json(
        "POST",
        "/api/v1/tasks",
        400,
        "{\"status\":400,\"error\":\"targets match no agent\",\"field\":\"targets\"}");
    assertThat(mschedule("run", "-t", "nothing*", "-c", "uptime")).isEqualTo(1);
    assertThat(cli.err())
        .isEqualTo("mschedule: HTTP 400: targets match no agent [field: targets]\n");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void unreachableMasterIsOneClearLine() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertThat(cli.run("agents", "--server", "http://127.0.0.1:" + port)).isEqualTo(1);
    assertThat(cli.err())
        .isEqualTo(
            "mschedule: cannot reach the mschedule master at http://127.0.0.1:"
                + port
                + ": connection refused\n");
  }

  @Test
  void killPrintsTheResultingState() {
    master.json("POST", "/api/v1/tasks/t1/kill", 202, task("KILLED", "killed by ops", "{}"));
    assertThat(mschedule("kill", "t1")).isZero();
    assertThat(cli.out()).isEqualTo("task t1 KILLED (killed by ops)\n");
  }

  @Test
  void killOfAnEndedTaskPrintsTheApiMessage() {
    master.json(
        "POST",
        "/api/v1/tasks/t1/kill",
        409,
        "{\"status\":409,\"error\":\"task t1 has already ended\"}");
    assertThat(mschedule("kill", "t1")).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("mschedule: HTTP 409: task t1 has already ended\n");
  }

  @Test
  void taskShowsTheHeaderAndEveryRun() {
    master.json(
        "GET",
        "/api/v1/tasks/t1",
        200,
        task(
            "RUNNING",
            null,
            "{\"SUCCEEDED\":1,\"RUNNING\":1}",
            run("a1", "web-01", "SUCCEEDED", 0, "web-01\n"),
            run("a2", "web-02", "RUNNING", null, null)));
    assertThat(mschedule("task", "t1")).isZero();
    assertThat(cli.out())
        .startsWith("task t1: RUNNING\n")
        .contains("  targets:  all\n")
        .contains("  runs:     2 (RUNNING=1 SUCCESS=1)\n")
        .endsWith("\nweb-01 | SUCCESS | rc=0 >>\nweb-01\nweb-02 | RUNNING\n");
  }

  @Test
  void taskFollowStreamsOutputPrefixedByHost() {
    String running =
        task(
                "RUNNING",
                null,
                "{}",
                run("a1", "web-01", "RUNNING", null, null),
                run("a2", "web-02", "RUNNING", null, null))
            .replace("\"parallel\":1", "\"parallel\":0");
    master.json("GET", "/api/v1/tasks/t1", 200, running);
    master.json(
        "GET",
        "/api/v1/tasks/t1",
        200,
        task(
            "FAILED",
            null,
            "{\"SUCCEEDED\":1,\"FAILED\":1}",
            run("a1", "web-01", "SUCCEEDED", 0, "one\n"),
            run("a2", "web-02", "FAILED", 1, "two\nthree")));
    master.route(
        "GET",
        "/api/v1/tasks/t1/events",
        sse(
            5,
            event("task", running),
            event("output", "{\"agent_id\":\"a1\",\"data\":\"one\\n\"}"),
            event("output", "{\"agent_id\":\"a2\",\"data\":\"two\\nthr\"}"),
            event("run", run("a1", "web-01", "SUCCEEDED", 0, null)),
            event("output", "{\"agent_id\":\"a2\",\"data\":\"ee\"}"),
            event("run", run("a2", "web-02", "FAILED", 1, null)),
            event("task", task("FAILED", null, "{}"))));

    assertThat(mschedule("task", "t1", "--follow")).isEqualTo(2);

    String out = cli.out();
    assertThat(out.substring(out.indexOf("\n\n") + 2))
        .isEqualTo(
            "web-01 | one\n"
                + "web-02 | two\n"
                + "web-01 | SUCCESS | rc=0\n"
                + "web-02 | three\n"
                + "web-02 | FAILED | rc=1\n"
                + "\n"
                + "FAILED (1): web-02\n"
                + "task t1 FAILED: SUCCESS=1 FAILED=1\n");
  }

  @Test
  void taskFollowReplaysWhatWasPrintedThenGoesOnWithoutGapOrRepeat() {
    // the first event holds the output so far (the master's live snapshot); the master sends
    // only later chunks; the run's final event carries the stored output, which may hold a tail
    // no chunk brought yet
    String running =
        task("RUNNING", null, "{}", run("a1", "web-01", "RUNNING", null, "step 1\nstep 2\n"));
    master.json("GET", "/api/v1/tasks/615f4029aa11", 200, running);
    master.json(
        "GET",
        "/api/v1/tasks/t1",
        200,
        task(
            "SUCCEEDED",
            null,
            "{\"SUCCEEDED\":1}",
            run("a1", "web-01", "SUCCEEDED", 0, "step 1\nstep 2\nstep 3\ndone\n")));
    master.route(
        "GET",
        "/api/v1/tasks/t1/events",
        sse(
            5,
            event("task", running),
            event("output", "{\"agent_id\":\"a1\",\"data\":\"step 3\\n\"}"),
            event("run", run("a1", "web-01", "SUCCEEDED", 0, "step 1\nstep 2\nstep 3\ndone\n")),
            event("output", "{\"agent_id\":\"a1\",\"data\":\"done\\n\"}"),
            event("task", task("SUCCEEDED", null, "{}"))));

    assertThat(mschedule("task", "615f4029aa11", "--follow")).isZero();

    String out = cli.out();
    assertThat(out.substring(out.indexOf("\n\n") + 2))
        .isEqualTo(
            "step 1\n"
                + "step 2\n"
                + "step 3\n"
                + "done\n"
                + "web-01 | SUCCESS | rc=0\n"
                + "\n"
                + "task t1 SUCCEEDED: SUCCESS=1\n");
    // a prefix is resolved by the master; the stream is asked for by the whole id
    assertThat(master.requests().stream().map(FakeMaster.Request::path))
        .contains("/api/v1/tasks/615f4029aa11", "/api/v1/tasks/t1/events");
  }

  @Test
  void anAmbiguousIdPrefixShowsTheMastersCandidates() {
    master.json(
        "GET",
        "/api/v1/tasks/615f",
        409,
        "{\"status\":409,\"error\":\"task id 615f is ambiguous: it matches 615f40, 615f99;"
            + " give more of it\",\"field\":\"id\"}");
    assertThat(mschedule("task", "615f")).isEqualTo(1);
    assertThat(cli.err())
        .isEqualTo(
            "mschedule: HTTP 409: task id 615f is ambiguous: it matches 615f40, 615f99;"
                + " give more of it [field: id]\n");
  }

  private static final String KEYS =
      "[{\"agent_id\":\"aa11\",\"state\":\"pending\"},"
          + "{\"agent_id\":\"bb22\",\"state\":\"pending\"},"
          + "{\"agent_id\":\"cc33\",\"state\":\"accepted\"},"
          + "{\"agent_id\":\"web-9\",\"state\":\"pending\"}]";
  private static final String AGENTS =
      "[{\"id\":\"aa11\",\"hostname\":\"web-01\"},{\"id\":\"bb22\",\"hostname\":\"db-01\"},"
          + "{\"id\":\"cc33\",\"hostname\":\"web-02\"}]";

  private void keysAndAgents() {
    master.json("GET", "/api/v1/keys", 200, KEYS);
    master.json("GET", "/api/v1/agents", 200, AGENTS);
    for (String id : new String[] {"aa11", "bb22", "web-9"}) {
      master.json(
          "POST",
          "/api/v1/keys/" + id + "/accept",
          200,
          "{\"agent_id\":\"" + id + "\",\"state\":\"accepted\"}");
    }
  }

  private java.util.List<String> accepted() {
    return master.requests().stream()
        .filter(r -> r.method().equals("POST"))
        .map(FakeMaster.Request::path)
        .toList();
  }

  @Test
  void keysAcceptGlobMatchesPendingKeysByHostnameOrIdAndAsksFirst() {
    keysAndAgents();
    cli.cl
            .getSubcommands()
            .get("keys")
            .getSubcommands()
            .get("accept")
            .<KeysCommand.Accept>getCommand()
            .stdin =
        new java.io.ByteArrayInputStream("y\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThat(mschedule("keys", "accept", "web*")).isZero();

    assertThat(cli.out())
        .isEqualTo(
            "pending keys matching 'web*':\n"
                + "  web-01 (aa11)\n"
                + "  web-9\n"
                + "Accept these 2 key(s)? [y/N] accepted 2 key(s)\n");
    assertThat(accepted()).containsExactly("/api/v1/keys/aa11/accept", "/api/v1/keys/web-9/accept");
  }

  @Test
  void keysAcceptGlobAcceptsNothingWithoutYes() {
    keysAndAgents();
    cli.cl
            .getSubcommands()
            .get("keys")
            .getSubcommands()
            .get("accept")
            .<KeysCommand.Accept>getCommand()
            .stdin =
        new java.io.ByteArrayInputStream(new byte[0]);

    assertThat(mschedule("keys", "accept", "WEB-0?")).isEqualTo(1);

    assertThat(cli.out()).contains("  web-01 (aa11)\n").doesNotContain("web-9");
    assertThat(cli.err()).contains("nothing accepted (answer y, or pass --yes)");
    assertThat(accepted()).isEmpty();
  }

  @Test
  void keysAcceptGlobWithYesDoesNotAsk() {
    keysAndAgents();
    assertThat(mschedule("keys", "accept", "--yes", "*")).isZero();
    assertThat(cli.out()).doesNotContain("[y/N]").endsWith("accepted 3 key(s)\n");
    assertThat(accepted()).hasSize(3).doesNotContain("/api/v1/keys/cc33/accept");
  }

  @Test
  void keysAcceptGlobMatchingNothingIsAnError() {
    keysAndAgents();
    assertThat(mschedule("keys", "accept", "mail*")).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("mschedule: no pending key matches 'mail*'\n");
  }

  @Test
  void serverGivenBeforeTheCommandIsUsed() {
    master.json("GET", "/api/v1/agents", 200, "[]");
    assertThat(cli.run("--server", master.url(), "--token", "abc", "agents")).isZero();
    assertThat(master.requests().get(0).header("Authorization")).isEqualTo("Bearer abc");
  }

  @Test
  void agentsTableAndJson() throws Exception {
    String agents =
        "[{\"id\":\"4f0c\",\"hostname\":\"web-01\",\"ip\":[\"10.1.2.3\"],"
            + "\"labels\":{\"role\":\"web\"},\"state\":\"online\","
            + "\"last_seen\":\"2026-11-27T03:15:30.123Z\",\"first_seen\":\"2026-11-20T10:00:00Z\","
            + "\"version\":\"0.1.0\",\"running\":[]}]";
    master.json("GET", "/api/v1/agents", 200, agents);
    assertThat(mschedule("agents")).isZero();
    assertThat(cli.out())
        .startsWith("ID    NAME    HOSTNAME  IP        LABELS    STATE   LAST SEEN\n")
        .contains("4f0c  web-01  web-01    10.1.2.3  role=web  online  ");

    Cli json = new Cli();
    assertThat(json.run("agents", "--json", "--server", master.url())).isZero();
    JsonNode a = Json.mapper().readTree(json.out()).get(0);
    assertThat(a.get("id").asText()).isEqualTo("4f0c");
    assertThat(a.get("hostname").asText()).isEqualTo("web-01");
    assertThat(a.get("ip").get(0).asText()).isEqualTo("10.1.2.3");
    assertThat(a.get("labels").get("role").asText()).isEqualTo("web");
    assertThat(a.get("state").asText()).isEqualTo("online");
    assertThat(a.get("last_seen").asText()).isEqualTo("2026-11-27T03:15:30.123Z");
    assertThat(a.get("first_seen").asText()).isEqualTo("2026-11-20T10:00:00Z");
    assertThat(a.has("online")).isFalse();
  }

  @Test
  void tasksAsksForTheLimit() {
    master.json(
        "GET", "/api/v1/tasks", 200, "[" + task("SUCCEEDED", null, "{\"SUCCEEDED\":2}") + "]");
    assertThat(mschedule("tasks", "--limit", "5")).isZero();
    assertThat(master.requests().get(0).query()).isEqualTo("limit=5");
    assertThat(cli.out())
        .startsWith("ID  STATE      CREATED ")
        .contains("t1  SUCCEEDED  ")
        .contains("SUCCESS=2  all\n");
  }

  @Test
  void tasksSendsItsFilters() {
    master.json("GET", "/api/v1/tasks", 200, "[]");
    assertThat(
            mschedule(
                "tasks", "--state", "Failed,killed", "--state", "aborted", "--since", "2026-11-01"))
        .isZero();
    assertThat(master.requests().get(0).query())
        .isEqualTo("limit=20&state=failed%2Ckilled%2Caborted&since=2026-11-01");
    assertThat(cli.err()).isEqualTo("no tasks\n");
  }

  @Test
  void tokenIsSentAsBearer() {
    master.json("GET", "/api/v1/agents", 200, "[]");
    assertThat(mschedule("agents", "--token", "abc")).isZero();
    assertThat(master.requests().get(0).header("Authorization")).isEqualTo("Bearer abc");
    assertThat(cli.err()).isEqualTo("no agents\n");
  }
}
