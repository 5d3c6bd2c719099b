package io.mschedule.protocol.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MetricsHttpServerTest {
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  HttpResponse<String> send(int port, String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void serves_a_fresh_scrape_on_get_metrics_only() throws Exception {
    AtomicInteger n = new AtomicInteger();
    try (MetricsHttpServer s =
        MetricsHttpServer.start("127.0.0.1", 0, () -> "up " + n.incrementAndGet() + "\n")) {
      HttpResponse<String> r = send(s.port(), "GET", "/metrics");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("up 1\n");
      assertThat(r.headers().firstValue("Content-Type")).contains(MetricsHttpServer.CONTENT_TYPE);
      assertThat(send(s.port(), "GET", "/metrics").body()).isEqualTo("up 2\n");
      assertThat(send(s.port(), "GET", "/").statusCode()).isEqualTo(404);
      assertThat(send(s.port(), "GET", "/metrics/x").statusCode()).isEqualTo(404);
      assertThat(send(s.port(), "POST", "/metrics").statusCode()).isEqualTo(405);
    }
  }

  @Test
  void a_busy_port_is_a_clear_error() {
    try (MetricsHttpServer first = MetricsHttpServer.start("127.0.0.1", 0, () -> "")) {
      assertThatThrownBy(() -> MetricsHttpServer.start("127.0.0.1", first.port(), () -> ""))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageStartingWith("metrics-bind: cannot listen on 127.0.0.1:" + first.port());
    }
  }
}
