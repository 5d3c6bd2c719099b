package io.mschedule.master.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mschedule.master.MasterServer;
import io.mschedule.master.config.MasterConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A master in this JVM on ephemeral ports, with an embedded H2 database in {@code dir}. */
final class TestMaster implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  record Response(int status, JsonNode body, String text, HttpResponse<String> raw) {}

  final Path dir;
  final MasterServer server;
  final String base;
  final HttpClient http;

  TestMaster(Path dir, Map<String, String> settings, String scheme, HttpClient http) {
    this(dir, settings, scheme, http, Clock.systemUTC());
  }

  TestMaster(Path dir, Map<String, String> settings, String scheme, HttpClient http, Clock clock) {
    this.dir = dir;
    Map<String, String> all = new HashMap<>();
    all.put(MasterConfig.DATA_DIR, dir.toString());
    all.put(MasterConfig.HTTP_BIND, "127.0.0.1:0");
    all.put(MasterConfig.AGENT_BIND, "tcp://127.0.0.1:0");
    all.putAll(settings);
    this.server = MasterServer.start(MasterConfig.from(all), clock);
    this.base = scheme + "://127.0.0.1:" + server.httpPort();
    this.http = http;
  }

  TestMaster(Path dir, Map<String, String> settings) {
    this(dir, settings, Clock.systemUTC());
  }

  TestMaster(Path dir, Map<String, String> settings, Clock clock) {
    this(
        dir,
        settings,
        "http",
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
        clock);
  }

  String adminToken() throws IOException {
    return Files.readString(dir.resolve(AdminBootstrap.FILE_NAME)).strip();
  }

  Response get(String path, String token) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), token);
  }

  Response post(String path, String token, Object body) {
    try {
      String json =
          body == null ? "" : body instanceof String s ? s : JSON.writeValueAsString(body);
      return send(
          HttpRequest.newBuilder(URI.create(base + path))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json)),
          token);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  Response send(HttpRequest.Builder b, String token) {
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r =
          http.send(
              b.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = null;
      try {
        body = r.body() == null || r.body().isEmpty() ? null : JSON.readTree(r.body());
      } catch (IOException notJson) {
        // static files
      }
      return new Response(r.statusCode(), body, r.body(), r);
    } catch (IOException e) {
      throw new IllegalStateException("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Creates a token with the admin token; returns the answer (with {@code token}). */
  JsonNode createToken(String role, String name) throws IOException {
    Response r = post("/api/v1/tokens", adminToken(), Map.of("role", role, "name", name));
    if (r.status() != 201) {
      throw new AssertionError("create token -> " + r.status() + " " + r.text());
    }
    return r.body();
  }

  @Override
  public void close() {
    server.close();
  }
}
