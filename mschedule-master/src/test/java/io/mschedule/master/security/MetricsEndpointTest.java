package io.mschedule.master.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.config.MasterConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} on a real master, and the filters of {@code GET /api/v1/tasks}. */
class MetricsEndpointTest {
  @TempDir Path dir;
  TestMaster m;
  String viewer;

  @BeforeEach
  void start() throws Exception {
    m = new TestMaster(dir, Map.of(MasterConfig.METRICS_BIND, "127.0.0.1:0"));
    viewer = m.createToken("viewer", "prometheus").get("token").asText();
  }

  @AfterEach
  void stop() {
    m.close();
  }

  static double value(String body, String series) {
    for (String line : body.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
      }
    }
    throw new AssertionError("no sample " + series + " in:\n" + body);
  }

  @Test
  void any_token_may_read_metrics_and_none_is_refused() {
    assertThat(m.get("/metrics", null).status()).isEqualTo(401);
    TestMaster.Response r = m.get("/metrics", viewer);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(value(r.text(), "mschedule_agents{state=\"online\"}")).isZero();
    assertThat(value(r.text(), "mschedule_dispatch_queue_runs")).isZero();
    assertThat(value(r.text(), "mschedule_tasks_total{state=\"killed\"}")).isZero();
    assertThat(r.text()).contains("jvm_threads_live_threads");
  }

  @Test
  void requests_are_counted_by_route_template_never_by_raw_path() {
    assertThat(m.get("/api/v1/tasks/some-task-id", viewer).status()).isEqualTo(404);
    assertThat(m.get("/api/v1/tasks/other-task-id", viewer).status()).isEqualTo(404);
    assertThat(m.get("/api/v1/no/such/route", viewer).status()).isEqualTo(404);
    assertThat(m.get("/api/v1/tasks", null).status()).isEqualTo(401);
    assertThat(m.get("/", null).status()).as("the console").isEqualTo(200);

    String body = m.get("/metrics", viewer).text();
    assertThat(
            value(
                body, "mschedule_api_requests_total{route=\"/api/v1/tasks/{id}\",status=\"404\"}"))
        .isEqualTo(2.0);
    assertThat(value(body, "mschedule_api_requests_total{route=\"/api/v1/tasks\",status=\"401\"}"))
        .isEqualTo(1.0);
    assertThat(body).doesNotContain("some-task-id").doesNotContain("no/such/route");
    assertThat(value(body, "mschedule_api_requests_total{route=\"unmatched\",status=\"404\"}"))
        .isEqualTo(1.0);
    assertThat(value(body, "mschedule_api_requests_total{route=\"static\",status=\"200\"}"))
        .isEqualTo(1.0);
  }

  @Test
  void the_metrics_port_serves_metrics_without_a_token_and_nothing_else() throws Exception {
    int port = m.server.metricsPort();
    assertThat(port).isPositive();
    HttpResponse<String> metrics = plainGet("http://127.0.0.1:" + port + "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("mschedule_agents{state=\"offline\"}");
    assertThat(plainGet("http://127.0.0.1:" + port + "/api/v1/agents").statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> plainGet(String url) throws Exception {
    return m.http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void bad_task_list_filters_are_refused_naming_the_parameter() {
    TestMaster.Response fine = m.get("/api/v1/tasks?state=failed,Killed&since=7d&limit=5", viewer);
    assertThat(fine.status()).isEqualTo(200);
    assertThat(fine.body().isArray()).isTrue();
    assertThat(m.get("/api/v1/tasks?since=2026-11-01T08:00:00Z", viewer).status()).isEqualTo(200);

    for (String[] bad :
        new String[][] {
          {"state=bogus", "state"},
          {"since=yesterday", "since"},
          {"limit=0", "limit"},
          {"limit=x", "limit"}
        }) {
      TestMaster.Response r = m.get("/api/v1/tasks?" + bad[0], viewer);
      assertThat(r.status()).as(bad[0]).isEqualTo(400);
      assertThat(r.body().get("field").asText()).isEqualTo(bad[1]);
      assertThat(r.body().get("error").asText()).startsWith(bad[1] + ":");
    }
  }
}
