package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task semantics against five real agent processes. */
class TasksIT {
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

  static Map<String, Object> task(String script, Object... kv) {
    Map<String, Object> m = new HashMap<>();
    m.put("script", script);
    m.put("targets", List.of("all"));
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** A script that fails on the given agents and succeeds elsewhere. */
  static String failOn(List<String> agents) {
    return "case \"$MSCHEDULE_AGENT_ID\" in "
        + String.join("|", agents)
        + ") echo failing; exit 7;; esac; echo fine";
  }

  static Map<String, Integer> counts(JsonNode t) {
    Map<String, Integer> out = new HashMap<>();
    for (JsonNode r : t.get("runs")) {
      out.merge(r.get("state").asText(), 1, Integer::sum);
    }
    return out;
  }

  @Test
  void a_run_that_fails_on_its_first_attempt_is_retried_on_the_same_agent_and_succeeds()
      throws Exception {
    Path marker = dir.resolve("retry-marker");
    String script =
        "echo attempt $MSCHEDULE_ATTEMPT; if [ -e '"
            + marker
            + "' ]; then exit 0; fi; touch '"
            + marker
            + "'; exit 3";
    Cluster.CliResult run =
        c.cli("run", "-t", ids.get(1), "--retries", "2", "--retry-delay", "1", "-c", script);
    assertThat(run.code()).as(run.out()).isZero();
    assertThat(run.out()).contains("| SUCCESS | rc=0 | attempt 2");
    // the attempt that counts is followed live (attempt 1 may have ended before the CLI looked)
    assertThat(run.out().lines()).as(run.out()).contains("attempt 2");
    var found = java.util.regex.Pattern.compile("task ([0-9a-f]{32})").matcher(run.out());
    assertThat(found.find()).as(run.out()).isTrue();
    String id = found.group(1);

    JsonNode t = c.api.ok("/api/v1/tasks/" + id);
    assertThat(t.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(t.get("retries").asInt()).isEqualTo(2);
    JsonNode r = t.get("runs").get(0);
    assertThat(r.get("agent_id").asText()).isEqualTo(ids.get(1));
    assertThat(r.get("attempt").asInt()).isEqualTo(2);
    assertThat(r.get("output").asText()).isEqualTo("attempt 2\n");
    JsonNode attempts = r.get("attempts");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).get("state").asText()).isEqualTo("FAILED");
    assertThat(attempts.get(0).get("code").asInt()).isEqualTo(3);
    assertThat(attempts.get(1).get("state").asText()).isEqualTo("SUCCEEDED");
    Instant firstEnded = Instant.parse(attempts.get(0).get("finished_at").asText());
    Instant secondStarted = Instant.parse(attempts.get(1).get("started_at").asText());
    assertThat(Duration.between(firstEnded, secondStarted))
        .as("the retry waits its delay, less the jitter")
        .isGreaterThanOrEqualTo(Duration.ofMillis(800));
  }

  @Test
  void a_script_whose_interpreter_is_missing_fails_to_start_with_the_agents_reason()
      throws Exception {
    String id = c.submit(task("#!/no/such/shell\necho never\n", "parallel", 0));
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(30));
    assertThat(t.get("state").asText()).isEqualTo("FAILED");
    assertThat(t.get("runs")).hasSize(5);
    for (JsonNode r : t.get("runs")) {
      assertThat(r.get("state").asText()).isEqualTo("FAILED_TO_START");
      assertThat(r.get("code").isNull()).isTrue();
      assertThat(r.get("error").asText()).contains("/no/such/shell");
    }
    Cluster.CliResult run = c.cli("run", "-t", ids.get(0), "-c", "#!/no/such/shell\necho never");
    assertThat(run.code()).as(run.out()).isEqualTo(2);
    assertThat(run.out())
        .contains("| FAILED_TO_START")
        .contains("error: ")
        .contains("/no/such/shell");
    Cluster.CliResult json =
        c.cli("run", "-t", ids.get(0), "--json", "-c", "#!/no/such/shell\necho never");
    assertThat(json.out())
        .contains("FAILED_TO_START")
        .contains("\"error\"")
        .contains("/no/such/shell");
  }

  @Test
  void a_detached_run_is_followed_by_its_id_prefix_with_every_line_once() throws Exception {
    Path marker = dir.resolve("follow-marker");
    // 40 KiB at once on both streams, then more while the follower listens
    String script =
        "echo line-1; echo line-2; pad=$(printf '%80s' | tr ' ' .); for i in $(seq 1 400); do"
            + " echo \"o-$i \u00e9t\u00e9 $pad\"; echo e-$i >&2; done; touch '"
            + marker
            + "'; for i in 3 4 5 6; do sleep 0.4; echo line-$i; echo e-$i-late >&2; done";
    Cluster.CliResult submitted = c.cli("run", "--detach", "-t", ids.get(0), "-c", script);
    assertThat(submitted.code()).as(submitted.out()).isZero();
    String id = submitted.out().strip();
    String prefix = id.substring(0, 8); // as the console shows it
    // follow once lines were printed: they are replayed, the rest streams
    await("the first lines are printed")
        .atMost(Duration.ofSeconds(30))
        .until(() -> java.nio.file.Files.exists(marker));

    Cluster.CliResult follow = c.cli("task", prefix, "--follow");

    assertThat(follow.code()).as(follow.out()).isZero();
    String out = follow.out();
    assertThat(out).startsWith("task " + id + ": ");
    for (int i = 1; i <= 6; i++) {
      assertThat(lines(out, "line-" + i)).as("line-" + i + " in " + out).isEqualTo(1);
    }
    for (int i = 1; i <= 400; i++) {
      assertThat(lines(out, "o-" + i + " .*")).as("o-" + i + " in " + out).isEqualTo(1);
      assertThat(lines(out, "e-" + i)).as("e-" + i + " in " + out).isEqualTo(1);
    }
    for (int i = 3; i <= 6; i++) {
      assertThat(lines(out, "e-" + i + "-late")).as("e-" + i + "-late in " + out).isEqualTo(1);
    }
    assertThat(out).doesNotContain("\uFFFD").contains("o-1 \u00e9t\u00e9 ...");
    assertThat(out.indexOf("line-1")).isLessThan(out.indexOf("line-6"));
    assertThat(out).contains("| SUCCESS | rc=0").endsWith("task " + id + " SUCCEEDED: SUCCESS=1\n");

    // six digits: tasks submitted in the same quarter second share their first four
    Cluster.CliResult shown = c.cli("task", id.substring(0, 6));
    assertThat(shown.code()).as(shown.out()).isZero();
    assertThat(shown.out()).startsWith("task " + id + ": SUCCEEDED");
    Cluster.CliResult unknown = c.cli("task", "ffffffff" + id.substring(8).replaceAll(".", "0"));
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.out()).contains("HTTP 404");
  }

  @Test
  void a_latin1_script_file_runs_byte_exact_and_the_audit_hashes_its_bytes() throws Exception {
    // printf "caf<0xe9>\n" | od -c   (one Latin-1 byte, no UTF-8)
    byte[] script =
        concat(
            "printf \"caf".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            new byte[] {(byte) 0xe9},
            "\\n\" | od -c\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    Path file = dir.resolve("latin1.sh");
    java.nio.file.Files.write(file, script);

    Cluster.CliResult run = c.cli("run", "-t", ids.get(0), "--json", file.toString());

    assertThat(run.code()).as(run.out()).isZero();
    JsonNode t = Api.JSON.readTree(run.out().substring(run.out().indexOf('{')));
    String output = t.get("runs").get(0).get("output").asText();
    assertThat(output).contains("c   a   f 351  \\n").doesNotContain("357");
    JsonNode stored = c.api.ok("/api/v1/tasks/" + t.get("id").asText());
    assertThat(java.util.Base64.getDecoder().decode(stored.get("script_b64").asText()))
        .isEqualTo(script);
    assertThat(stored.has("script")).as("no text: the script is not UTF-8").isFalse();
    assertThat(stored.get("script_sha256").asText()).isEqualTo(sha256(script));
    JsonNode audit = c.api.ok("/api/v1/audit?limit=200");
    boolean found = false;
    for (JsonNode e : audit) {
      if (e.get("action").asText().equals("task.submit")
          && e.get("target").asText().equals(t.get("id").asText())) {
        assertThat(e.get("detail").asText()).contains("sha256=" + sha256(script));
        found = true;
      }
    }
    assertThat(found).as("the submission is in the audit log").isTrue();
  }

  @Test
  void stdout_and_stderr_come_apart_and_binary_output_comes_as_base64() {
    String id =
        c.submit(
            task(
                "echo out-1; sleep 0.3; echo err-1 >&2; sleep 0.3; printf 'x\\377y\\n'",
                "targets",
                List.of(ids.get(2))));
    JsonNode run = c.awaitEnd(id, Duration.ofSeconds(30)).get("runs").get(0);

    assertThat(run.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(run.get("stdout").asText()).isEqualTo("out-1\nx\uFFFDy\n");
    assertThat(run.get("stderr").asText()).isEqualTo("err-1\n");
    assertThat(run.get("output").asText()).isEqualTo("out-1\nerr-1\nx\uFFFDy\n");
    byte[] exact = java.util.Base64.getDecoder().decode(run.get("output_b64").asText());
    assertThat(exact)
        .isEqualTo(
            concat(
                "out-1\nerr-1\nx".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xff},
                "y\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    assertThat(run.get("output_streams").toString()).isEqualTo("[6,6,4]");

    String text = c.submit(task("echo plain", "targets", List.of(ids.get(2))));
    JsonNode plain = c.awaitEnd(text, Duration.ofSeconds(30)).get("runs").get(0);
    assertThat(plain.has("output_b64")).as("valid UTF-8 needs no Base64").isFalse();
    assertThat(plain.get("stderr").asText()).isEmpty();
  }

  /** How many lines of {@code out} match {@code regex} whole. */
  static long lines(String out, String regex) {
    return out.lines().filter(l -> l.matches(regex)).count();
  }

  static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static String sha256(byte[] bytes) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void hostname_on_five_agents_succeeds_with_output() {
    String id =
        c.submit(
            task("hostname; echo id=$MSCHEDULE_AGENT_ID task=$MSCHEDULE_TASK_ID", "parallel", 0));
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(30));
    assertThat(t.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(t.get("runs")).hasSize(5);
    for (JsonNode r : t.get("runs")) {
      assertThat(r.get("state").asText()).isEqualTo("SUCCEEDED");
      assertThat(r.get("code").asInt()).isZero();
      assertThat(r.get("output").asText())
          .contains(r.get("hostname").asText())
          .contains("id=" + r.get("agent_id").asText())
          .contains("task=" + id);
    }
  }

  @Test
  void parallel_two_never_has_more_than_two_in_flight() {
    String id = c.submit(task("sleep 1", "parallel", 2));
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(60));
    assertThat(t.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(maxInFlight(t)).isEqualTo(2);
  }

  @Test
  void parallel_zero_starts_all_together() {
    String id = c.submit(task("sleep 1", "parallel", 0));
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(60));
    assertThat(t.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(maxInFlight(t)).isEqualTo(5);
  }

  /** The largest number of runs whose [started_at, finished_at) intervals overlap. */
  static int maxInFlight(JsonNode t) {
    List<long[]> events = new ArrayList<>();
    for (JsonNode r : t.get("runs")) {
      events.add(new long[] {Instant.parse(r.get("started_at").asText()).toEpochMilli(), 1});
      events.add(new long[] {Instant.parse(r.get("finished_at").asText()).toEpochMilli(), -1});
    }
    events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int cur = 0;
    int max = 0;
    for (long[] e : events) {
      cur += (int) e[1];
      max = Math.max(max, cur);
    }
    return max;
  }

  @Test
  void fail_count_one_aborts_after_the_second_failure() {
    String id =
        c.submit(task(failOn(ids.subList(0, 3)), "fail_count", 1, "fail_rate", 1.0, "parallel", 1));
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(60));
    assertThat(t.get("state").asText()).isEqualTo("ABORTED");
    assertThat(t.get("reason").asText()).contains("fail_count 1 exceeded: 2 of 5 runs failed");
    Map<String, Integer> n = counts(t);
    assertThat(n.get("FAILED")).isEqualTo(2);
    int stopped = n.getOrDefault("SKIPPED", 0) + n.getOrDefault("KILLED", 0);
    assertThat(stopped).isGreaterThanOrEqualTo(1);
    assertThat(n.getOrDefault("SUCCEEDED", 0) + stopped).isEqualTo(3);
  }

  @Test
  void fail_rate_aborts_when_the_share_of_failures_passes_it() {
    String id =
        c.submit(
            task(failOn(ids.subList(0, 3)), "fail_count", 10, "fail_rate", 0.5, "parallel", 1));
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(60));
    assertThat(t.get("state").asText()).isEqualTo("ABORTED");
    assertThat(t.get("reason").asText()).contains("fail_rate 0.5 exceeded: 3 of 5 runs failed");
  }

  @Test
  void default_thresholds_run_everything_and_end_failed() {
    String id = c.submit(task(failOn(ids.subList(0, 3)), "parallel", 0));
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(60));
    assertThat(t.get("state").asText()).isEqualTo("FAILED");
    assertThat(counts(t)).containsEntry("FAILED", 3).containsEntry("SUCCEEDED", 2);
    for (JsonNode r : t.get("runs")) {
      assertThat(r.get("code").asInt()).isIn(0, 7);
    }
  }

  @Test
  void timeout_kills_the_script_and_reports_timed_out() {
    String id = c.submit(task("sleep 3011", "timeout", 2, "targets", List.of(ids.get(0))));
    Instant start = Instant.now();
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(30));
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(6));
    assertThat(t.get("runs").get(0).get("state").asText()).isEqualTo("TIMED_OUT");
    assertThat(t.get("state").asText()).isEqualTo("FAILED");
    await().atMost(Duration.ofSeconds(2)).until(() -> Procs.matching("sleep 3011").isEmpty());
  }

  @Test
  void kill_ends_every_process_of_the_script() {
    String id = c.submit(task("sleep 3012 & sleep 3013; wait", "parallel", 0));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Procs.matching("sleep 3012").size() >= 5
                    && Procs.matching("sleep 3013").size() >= 5);
    Api.Response r = c.api.post("/api/v1/tasks/" + id + "/kill", "{}");
    assertThat(r.status()).isEqualTo(202);
    Instant killed = Instant.now();
    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> Procs.matching("sleep 3012").isEmpty() && Procs.matching("sleep 3013").isEmpty());
    assertThat(Duration.between(killed, Instant.now())).isLessThanOrEqualTo(Duration.ofSeconds(2));
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(20));
    assertThat(t.get("state").asText()).isEqualTo("KILLED");
    assertThat(counts(t)).containsEntry("KILLED", 5);
    assertThat(c.api.post("/api/v1/tasks/" + id + "/kill", "{}").status()).isEqualTo(409);
  }

  @Test
  void kill_through_the_api_ends_a_double_forked_daemon_within_the_kill_grace() {
    String id =
        c.submit(
            task(
                "(setsid sh -c 'sleep 3015; true' &); sleep 3016", "targets", List.of(ids.get(3))));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                !Procs.matching("sleep 3015").isEmpty() && !Procs.matching("sleep 3016").isEmpty());
    Instant killed = Instant.now();
    assertThat(c.api.post("/api/v1/tasks/" + id + "/kill", "{}").status()).isEqualTo(202);

    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(20));

    // kill-grace is 2 s; the run ends within it plus 2 s although the daemon held the output
    assertThat(Duration.between(killed, Instant.now())).isLessThan(Duration.ofSeconds(4));
    assertThat(t.get("state").asText()).isEqualTo("KILLED");
    assertThat(Procs.matching("sleep 3015")).isEmpty();
    assertThat(Procs.matching("sleep 3016")).isEmpty();
  }

  @Test
  void a_pending_run_is_skipped_when_the_task_is_killed() {
    String id = c.submit(task("sleep 3014", "parallel", 1));
    await().atMost(Duration.ofSeconds(20)).until(() -> !Procs.matching("sleep 3014").isEmpty());
    assertThat(c.api.post("/api/v1/tasks/" + id + "/kill", "{}").status()).isEqualTo(202);
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(20));
    assertThat(t.get("state").asText()).isEqualTo("KILLED");
    assertThat(counts(t)).containsEntry("KILLED", 1).containsEntry("SKIPPED", 4);
  }

  @Test
  void a_huge_output_is_stored_truncated_with_a_marker() {
    String id =
        c.submit(
            task(
                "head -c 5242880 /dev/zero | tr '\\0' 'x'; echo; echo THE-END",
                "targets",
                List.of(ids.get(1))));
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(60));
    JsonNode run = t.get("runs").get(0);
    assertThat(run.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(run.get("truncated").asBoolean()).isTrue();
    String out = run.get("output").asText();
    assertThat(out.length()).isLessThan(1024 * 1024 + 200);
    assertThat(out).contains("bytes of output omitted]").endsWith("THE-END\n").startsWith("xxx");
    // one marker, cut once, with the true count: printed bytes minus the bytes kept
    long printed = 5242880 + "\nTHE-END\n".length();
    var marker =
        java.util.regex.Pattern.compile("\n\\[mschedule: (\\d+) bytes of output omitted\\]\n")
            .matcher(out);
    assertThat(marker.find()).isTrue();
    long omitted = Long.parseLong(marker.group(1));
    long kept = out.length() - marker.group().length();
    assertThat(marker.find()).as("a second marker").isFalse();
    assertThat(omitted + kept).isEqualTo(printed);
  }

  @Test
  void an_agent_with_a_128_mib_heap_survives_300_mib_of_output() {
    // the agent JVMs run with -Xmx128m: buffering this output anywhere would kill them
    String id =
        c.submit(
            task(
                "head -c 314572800 /dev/zero | tr '\\0' 'y'; echo; echo LAST",
                "targets",
                List.of(ids.get(2))));
    JsonNode t = c.awaitEnd(id, Duration.ofSeconds(120));
    JsonNode run = t.get("runs").get(0);
    assertThat(run.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(run.get("truncated").asBoolean()).isTrue();
    assertThat(run.get("output").asText()).endsWith("LAST\n").contains("bytes of output omitted]");
    assertThat(c.agent(3).alive()).isTrue();
    assertThat(c.agent(3).log()).doesNotContain("OutOfMemoryError");
  }

  @Test
  void bad_requests_get_400_naming_the_field() {
    assertThat(field(Map.of("targets", List.of("all")))).isEqualTo("script");
    assertThat(field(Map.of("script", "true", "targets", List.of("no-such-host-*"))))
        .isEqualTo("targets");
    assertThat(field(Map.of("script", "true", "targets", List.of("all"), "parallel", -1)))
        .isEqualTo("parallel");
    assertThat(field(Map.of("script", "true", "targets", List.of("all"), "fail_rate", 2)))
        .isEqualTo("fail_rate");
    assertThat(field(Map.of("script", "x".repeat(1024 * 1024 + 1), "targets", List.of("all"))))
        .isEqualTo("script");
    assertThat(c.api.post("/api/v1/tasks", "not json").status()).isEqualTo(400);
    assertThat(c.api.get("/api/v1/tasks/nope").status()).isEqualTo(404);
  }

  private static String field(Map<String, Object> body) {
    Api.Response r = c.api.post("/api/v1/tasks", body);
    assertThat(r.status()).as(body.keySet() + " -> " + r.body()).isEqualTo(400);
    assertThat(r.body().get("error").asText()).isNotBlank();
    return r.body().get("field").asText();
  }
}
