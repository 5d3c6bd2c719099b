package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prometheus metrics of a real master and agent moving as a task runs. */
class MetricsIT {
  @TempDir static Path dir;
  static Cluster c;
  static final int masterMetricsPort = Ports.free();
  static final int agentMetricsPort = Ports.free();
  static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  static String viewer;

  @BeforeAll
  static void up() {
    c =
        Cluster.create(dir, 1)
            .masterEnv("MSCHEDULE_METRICS_BIND", "127.0.0.1:" + masterMetricsPort)
            .agentEnv("MSCHEDULE_METRICS_BIND", "127.0.0.1:" + agentMetricsPort)
            .up(1);
    Api.Response r = c.api.post("/api/v1/tokens", Map.of("role", "viewer", "name", "prometheus"));
    assertThat(r.status()).isEqualTo(201);
    viewer = r.body().get("token").asText();
  }

  @AfterAll
  static void down() {
    if (c != null) {
      c.close();
    }
  }

  record Scrape(int status, String type, String body) {
    /** The value of the sample {@code series} (name and labels exactly as printed). */
    double value(String series) {
      for (String line : body.split("\n")) {
        if (line.startsWith(series + " ")) {
          return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
        }
      }
      throw new AssertionError("no sample " + series + " in:\n" + body);
    }
  }

  static Scrape get(String url, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Scrape(
          r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + url + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Scrape master() {
    Scrape s = get(c.api.base() + "/metrics", viewer);
    assertThat(s.status()).as(s.body()).isEqualTo(200);
    return s;
  }

  static Scrape agent() {
    Scrape s = get("http://127.0.0.1:" + agentMetricsPort + "/metrics", null);
    assertThat(s.status()).isEqualTo(200);
    return s;
  }

  @Test
  void metrics_need_a_token_on_the_api_port_and_none_on_the_metrics_port() {
    assertThat(get(c.api.base() + "/metrics", null).status()).isEqualTo(401);
    assertThat(get(c.api.base() + "/metrics", "not-a-token").status()).isEqualTo(401);
    Scrape s = master();
    assertThat(s.type()).startsWith("text/plain");
    assertThat(s.body()).contains("jvm_memory_used_bytes").contains("process_uptime_seconds");
    Scrape open = get("http://127.0.0.1:" + masterMetricsPort + "/metrics", null);
    assertThat(open.status()).isEqualTo(200);
    assertThat(open.body()).contains("mschedule_agents{state=\"online\"}");
    assertThat(get("http://127.0.0.1:" + masterMetricsPort + "/api/v1/agents", null).status())
        .isEqualTo(404);
  }

  @Test
  void task_and_run_metrics_move_as_a_task_runs() throws Exception {
    Scrape before = master();
    assertThat(before.value("mschedule_agents{state=\"online\"}")).isEqualTo(1.0);
    assertThat(before.value("mschedule_agents{state=\"pending\"}")).isZero();
    double succeeded = before.value("mschedule_tasks_total{state=\"succeeded\"}");
    double runsOk = before.value("mschedule_runs_total{state=\"succeeded\"}");
    double durations = before.value("mschedule_run_duration_seconds_count");
    assertThat(agent().value("mschedule_agent_connected")).isEqualTo(1.0);

    Path gate = dir.resolve("gate");
    String id =
        c.submit(
            Map.of(
                "script",
                "while [ ! -e " + gate + " ]; do sleep 0.1; done; echo done",
                "targets",
                List.of("all")));

    await("the run is in flight on the agent")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> agent().value("mschedule_agent_runs_in_flight") == 1.0);
    assertThat(master().value("mschedule_dispatch_queue_runs")).isZero();
    assertThat(master().value("mschedule_tasks_total{state=\"succeeded\"}")).isEqualTo(succeeded);

    java.nio.file.Files.writeString(gate, "go");
    assertThat(c.awaitEnd(id, Duration.ofSeconds(30)).get("state").asText()).isEqualTo("SUCCEEDED");

    await("the master counts the ended task and run")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> master().value("mschedule_tasks_total{state=\"succeeded\"}") == succeeded + 1);
    Scrape after = master();
    assertThat(after.value("mschedule_runs_total{state=\"succeeded\"}")).isEqualTo(runsOk + 1);
    assertThat(after.value("mschedule_run_duration_seconds_count")).isEqualTo(durations + 1);
    assertThat(after.value("mschedule_run_duration_seconds_sum")).isPositive();
    assertThat(after.value("mschedule_tasks_total{state=\"failed\"}")).isZero();
    assertThat(after.value("mschedule_api_requests_total{route=\"/api/v1/tasks\",status=\"201\"}"))
        .isGreaterThanOrEqualTo(1.0);
    assertThat(
            after.value(
                "mschedule_api_requests_total{route=\"/api/v1/tasks/{id}\",status=\"200\"}"))
        .isGreaterThanOrEqualTo(1.0);
    assertThat(after.body()).doesNotContain(id).doesNotContain(c.agentId(1));
    // the task list filters, through the CLI
    Cluster.CliResult ok =
        c.cliAs(viewer, "tasks", "--state", "succeeded", "--since", "1h", "--json");
    assertThat(ok.code()).as(ok.out()).isZero();
    assertThat(ok.out()).contains(id);
    Cluster.CliResult failed =
        c.cliAs(viewer, "tasks", "--state", "failed", "--since", "1h", "--json");
    assertThat(failed.code()).as(failed.out()).isZero();
    assertThat(failed.out()).doesNotContain(id);
    Cluster.CliResult future = c.cliAs(viewer, "tasks", "--since", "2999-01-01");
    assertThat(future.out()).contains("no tasks").doesNotContain(id);
    Cluster.CliResult bad = c.cliAs(viewer, "tasks", "--since", "soon");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.out()).contains("since").contains("7d");
    Scrape agentAfter = agent();
    assertThat(agentAfter.value("mschedule_agent_runs_in_flight")).isZero();
    assertThat(agentAfter.value("mschedule_agent_spool_results")).isZero();
    // the master's orders are signed with its order key, which the agent pinned
    assertThat(agentAfter.value("mschedule_agent_orders_refused_total")).isZero();

    // an agent without a join token waits, pending, for its key to be accepted
    c.agentEnv("MSCHEDULE_METRICS_BIND", "127.0.0.1:" + Ports.free());
    c.startAgent(2, c.masterKey(), null);
    await("a pending agent")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> master().value("mschedule_agents{state=\"pending\"}") == 1.0);
    assertThat(master().value("mschedule_agents{state=\"online\"}")).isEqualTo(1.0);
  }
}
