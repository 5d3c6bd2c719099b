package io.mschedule.cli.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A tiny stand-in for the master's HTTP API, on the JDK's HTTP server: canned answers per {@code
 * METHOD path} (a sequence; the last one repeats) and scripted SSE streams.
 */
public final class FakeMaster implements AutoCloseable {

  /** One request as received. */
  public record Request(
      String method, String path, String query, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().isEmpty() ? null : e.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** Answers one request. */
  public interface Responder {
    void respond(HttpExchange exchange) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final Map<String, Deque<Responder>> routes = new HashMap<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

  public FakeMaster() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Answers {@code method path} with JSON (queued after earlier answers for that route). */
  public FakeMaster json(String method, String path, int status, String body) {
    return route(method, path, ex -> send(ex, status, "application/json", body));
  }

  /** Answers {@code method path} with {@code responder} (queued). */
  public synchronized FakeMaster route(String method, String path, Responder responder) {
    routes.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>()).add(responder);
    return this;
  }

  /** An SSE answer that sends {@code chunks} one by one, pausing between them, then ends. */
  public static Responder sse(long pauseMillis, String... chunks) {
    return ex -> {
      ex.getResponseHeaders().set("Content-Type", "text/event-stream");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream os = ex.getResponseBody()) {
        for (String c : chunks) {
          os.write(c.getBytes(StandardCharsets.UTF_8));
          os.flush();
          if (pauseMillis > 0) {
            Thread.sleep(pauseMillis);
          }
        }
      }
    };
  }

  public static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = ex.getRequestURI().getRawPath();
    requests.add(
        new Request(
            ex.getRequestMethod(),
            path,
            ex.getRequestURI().getRawQuery(),
            Map.copyOf(ex.getRequestHeaders()),
            body));
    Responder r;
    synchronized (this) {
      Deque<Responder> q = routes.get(ex.getRequestMethod() + " " + path);
      r = q == null ? null : q.size() > 1 ? q.poll() : q.peek();
    }
    try {
      if (r == null) {
        send(ex, 404, "application/json", "{\"status\":404,\"error\":\"no route " + path + "\"}");
      } else {
        r.respond(ex);
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    } finally {
      ex.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }

  // ----- canned api.md-shaped documents -----

  /** A run as JSON; {@code output} null gives JSON null. */
  public static String run(String agent, String host, String state, Integer code, String output) {
    return "{\"agent_id\":\""
        + agent
        + "\",\"hostname\":\""
        + host
        + "\",\"state\":\""
        + state
        + "\",\"code\":"
        + code
        + ",\"output\":"
        + (output == null ? "null" : quote(output))
        + ",\"truncated\":false,\"started_at\":\"2026-11-27T03:15:30.123Z\","
        + "\"finished_at\":null,\"extra_field\":{\"ignored\":true}}";
  }

  /** A task as JSON with the given runs (JSON strings). */
  public static String task(String id, String state, String reason, String... runs) {
    return "{\"id\":\""
        + id
        + "\",\"state\":\""
        + state
        + "\",\"reason\":"
        + (reason == null ? "null" : quote(reason))
        + ",\"script\":\"hostname\\n\",\"targets\":[\"all\"],\"parallel\":1,"
        + "\"fail_rate\":0.0,\"fail_count\":-1,\"timeout\":0,"
        + "\"created_at\":\"2026-11-27T03:15:30.123Z\",\"finished_at\":null,"
        + "\"counts\":{},\"runs\":["
        + String.join(",", runs)
        + "],\"created_by\":\"ops\"}";
  }

  /** An SSE event frame. */
  public static String event(String name, String data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }

  public static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
