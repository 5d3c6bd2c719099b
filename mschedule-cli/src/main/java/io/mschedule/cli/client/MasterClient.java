package io.mschedule.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A client of the master's HTTP API v1 ({@code docs/api.md}). Thread-safe; one instance can be
 * shared. Every method throws {@link ApiException} for an error answer and {@link
 * MasterUnreachableException} when the master gives no answer.
 *
 * <p>It speaks HTTP/1.1 through {@link HttpURLConnection} (connections are kept alive and reused).
 * A command line client starts and ends within a fraction of a second with it: {@code
 * java.net.http.HttpClient} loads several hundred more classes, and its selector thread, waiting in
 * native code, holds up the JVM's exit by ~0.3 s on JDK 17 ({@code docs/performance.md}).
 */
public final class MasterClient {
  /** The master's address when none is configured. */
  public static final String DEFAULT_URL = "http://127.0.0.1:8080";

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_ERROR_TEXT = 300;

  private final URI base;
  private final String token;
  private final Duration requestTimeout;
  private final ObjectMapper json = Json.mapper();
  private volatile javax.net.ssl.SSLSocketFactory tls; // made on the first https request

  /** A client without token. */
  public MasterClient(String baseUrl) {
    this(baseUrl, null);
  }

  /**
   * @param baseUrl the master, e.g. {@code http://10.0.0.1:8080} ({@code http://} is assumed when
   *     no scheme is given)
   * @param token sent as {@code Authorization: Bearer TOKEN}; null or blank for none
   */
  public MasterClient(String baseUrl, String token) {
    this(baseUrl, token, DEFAULT_REQUEST_TIMEOUT);
  }

  /**
   * @param requestTimeout how long to wait for an answer to one request (not for event streams)
   * @throws IllegalArgumentException when {@code baseUrl} is not an http(s) URL
   */
  public MasterClient(String baseUrl, String token, Duration requestTimeout) {
    this.base = normalize(baseUrl);
    this.token = token == null || token.isBlank() ? null : token.strip();
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  /**
   * A client for the master at {@code baseUrl} with {@code token}, else the token saved for that
   * master in {@code tokens} (see {@link TokenFile}), else none.
   */
  public static MasterClient withSavedToken(String baseUrl, String token, TokenFile tokens) {
    String t = token;
    if ((t == null || t.isBlank()) && tokens != null) {
      t = tokens.find(normalize(baseUrl).toString()).orElse(null);
    }
    return new MasterClient(baseUrl, t);
  }

  /** The master's base URL, without trailing slash. */
  public URI baseUrl() {
    return base;
  }

  /** {@code GET /api/v1/agents}: every known agent. */
  public List<Agent> agents() {
    return call(get("/api/v1/agents"), new TypeReference<List<Agent>>() {});
  }

  /** {@code GET /api/v1/relays}: the relays this master knows. */
  public List<RelayView> relays() {
    return call(get("/api/v1/relays"), new TypeReference<List<RelayView>>() {});
  }

  /** {@code GET /api/v1/cluster}: the masters sharing this master's database. */
  public ClusterView cluster() {
    return call(get("/api/v1/cluster"), new TypeReference<ClusterView>() {});
  }

  /** {@code GET /api/v1/agents/{id}}; 404 when unknown. */
  public Agent agent(String id) {
    return call(get("/api/v1/agents/" + segment(id)), new TypeReference<Agent>() {});
  }

  /** {@code POST /api/v1/targets/preview}: the agents {@code targets} select, without running. */
  public TargetPreview previewTargets(List<String> targets) {
    byte[] body;
    try {
      body = json.writeValueAsBytes(java.util.Map.of("targets", targets));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode the targets", e);
    }
    return call(
        request("POST", "/api/v1/targets/preview").json(body),
        new TypeReference<TargetPreview>() {});
  }

  /** {@code DELETE /api/v1/agents/{id}}: the agent leaves the fleet and its key is forgotten. */
  public void removeAgent(String agentId) {
    delete("/api/v1/agents/" + segment(agentId));
  }

  /** {@code POST /api/v1/tasks}: submits a task; returns it as created. */
  public Task submit(TaskRequest request) {
    Objects.requireNonNull(request, "request");
    byte[] body;
    try {
      body = json.writeValueAsBytes(request);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode the task request", e);
    }
    return call(request("POST", "/api/v1/tasks").json(body), new TypeReference<Task>() {});
  }

  /** {@code GET /api/v1/tasks?limit=N}: recent tasks, newest first, runs without output. */
  public List<Task> tasks(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    return call(get("/api/v1/tasks?limit=" + limit), new TypeReference<List<Task>>() {});
  }

  /**
   * {@code GET /api/v1/tasks?limit=N&state=S,S&since=T}: recent tasks that are in one of {@code
   * states} (any when empty) and were created at or after {@code since} (any when null).
   */
  public List<Task> tasks(int limit, List<String> states, String since) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    StringBuilder q = new StringBuilder("/api/v1/tasks?limit=").append(limit);
    if (!states.isEmpty()) {
      q.append("&state=").append(segment(String.join(",", states)));
    }
    if (since != null) {
      q.append("&since=").append(segment(since));
    }
    return call(get(q.toString()), new TypeReference<List<Task>>() {});
  }

  /** {@code GET /api/v1/tasks/{id}}: the task with every run and its output; 404 when unknown. */
  public Task task(String id) {
    return call(get("/api/v1/tasks/" + segment(id)), new TypeReference<Task>() {});
  }

  /** {@code POST /api/v1/tasks/{id}/rerun}: a new task on the task's failed (or all) hosts. */
  public Task rerun(String id, String hosts) {
    return rerun(id, Map.of("hosts", hosts));
  }

  /** As above, with the whole body ({@code hosts}, {@code retries}, {@code retry_delay}). */
  public Task rerun(String id, Map<String, Object> body) {
    return call(
        postJson("/api/v1/tasks/" + segment(id) + "/rerun", body), new TypeReference<Task>() {});
  }

  /** {@code GET path} as a JSON tree (jobs and schedules). */
  public JsonNode getJson(String path) {
    return call(get(path), new TypeReference<JsonNode>() {});
  }

  /** {@code POST path} with a JSON body, answered as a JSON tree. */
  public JsonNode postForJson(String path, Object body) {
    return call(postJson(path, body), new TypeReference<JsonNode>() {});
  }

  /** {@code DELETE path}. */
  public void delete(String path) {
    try (Response resp = send(request("DELETE", path))) {
      byte[] body = resp.readAll();
      if (resp.status() / 100 != 2) {
        throw error(resp.status(), body);
      }
    }
  }

  /** A path segment: a name or id, percent-encoded. */
  public static String pathSegment(String name) {
    return segment(name);
  }

  /** {@code POST /api/v1/schedules/{name}/trigger}: a task of the schedule, now. */
  public Task triggerSchedule(String name) {
    return call(
        postJson("/api/v1/schedules/" + segment(name) + "/trigger", Map.of()),
        new TypeReference<Task>() {});
  }

  /** {@code POST /api/v1/tasks/{id}/kill}; 409 when the task has already ended. */
  public Task kill(String id) {
    return call(post("/api/v1/tasks/" + segment(id) + "/kill"), new TypeReference<Task>() {});
  }

  /** {@code GET /api/v1/keys}: every agent key with its state (admin). */
  public List<AgentKey> keys() {
    return call(get("/api/v1/keys"), new TypeReference<List<AgentKey>>() {});
  }

  /** {@code POST /api/v1/keys/{id}/accept}; 404 when the agent has no key. */
  public AgentKey acceptKey(String agentId) {
    return call(
        post("/api/v1/keys/" + segment(agentId) + "/accept"), new TypeReference<AgentKey>() {});
  }

  /** {@code POST /api/v1/keys/accept-all}; returns how many pending keys were accepted. */
  public int acceptAllKeys() {
    return call(post("/api/v1/keys/accept-all"), new TypeReference<JsonNode>() {})
        .path("accepted")
        .asInt();
  }

  /** {@code POST /api/v1/keys/{id}/reject}; the agent is refused from then on. */
  public AgentKey rejectKey(String agentId) {
    return call(
        post("/api/v1/keys/" + segment(agentId) + "/reject"), new TypeReference<AgentKey>() {});
  }

  /**
   * {@code DELETE /api/v1/keys/{id}}: forgets the key; the agent leaves the fleet (it may join
   * again as new).
   */
  public void deleteKey(String agentId) {
    delete("/api/v1/keys/" + segment(agentId));
  }

  private Request post(String path) {
    return request("POST", path).noBody();
  }

  /** {@code GET /api/v1/whoami}: the name and role of this client's token. */
  public WhoAmI whoami() {
    return call(get("/api/v1/whoami"), new TypeReference<WhoAmI>() {});
  }

  /**
   * {@code POST /api/v1/tokens} (admin): a new token valid for {@code ttl} (null: no expiry); its
   * secret is in {@link ApiToken#token}.
   */
  public ApiToken createToken(String role, String name, Duration ttl) {
    java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("role", Objects.requireNonNull(role, "role"));
    if (name != null) {
      body.put("name", name);
    }
    if (ttl != null) {
      body.put("ttl_seconds", ttl.toSeconds());
    }
    return call(postJson("/api/v1/tokens", body), new TypeReference<ApiToken>() {});
  }

  /** {@code GET /api/v1/tokens} (admin): every token, without secrets. */
  public List<ApiToken> tokens() {
    return call(get("/api/v1/tokens"), new TypeReference<List<ApiToken>>() {});
  }

  /** {@code POST /api/v1/tokens/{id}/revoke} (admin); 409 when already revoked. */
  public ApiToken revokeToken(String id) {
    return call(
        post("/api/v1/tokens/" + segment(id) + "/revoke"), new TypeReference<ApiToken>() {});
  }

  /** {@code GET /api/v1/audit?limit=N} (admin): the newest entries first. */
  public List<AuditEntry> audit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    return call(get("/api/v1/audit?limit=" + limit), new TypeReference<List<AuditEntry>>() {});
  }

  /**
   * {@code POST /api/v1/backup} (admin): an online backup of the master's embedded database (a zip
   * file), copied to {@code file} (replaced). No request timeout: a large database takes a while.
   *
   * @return the number of bytes written
   */
  public long backup(Path file) {
    Request req =
        new Request("POST", "/api/v1/backup", null)
            .header("Accept", "application/zip, application/json")
            .noBody();
    try (Response resp = send(req)) {
      if (resp.status() / 100 != 2) {
        throw error(resp.status(), resp.body().readNBytes(64 * 1024));
      }
      return Files.copy(resp.body(), file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new MasterUnreachableException(base.toString(), "backup broken off: " + describe(e), e);
    }
  }

  /**
   * {@code POST /api/v1/files?name=NAME}: uploads {@code file}, streamed from disk (no request
   * timeout: a large file takes a while).
   */
  public StoredFile upload(Path file, String name) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no such file: " + file);
    }
    Request req =
        new Request(
                "POST",
                "/api/v1/files?name=" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8),
                null)
            .header("Accept", "application/json")
            .header("Content-Type", "application/octet-stream")
            .file(file);
    return call(req, new TypeReference<StoredFile>() {});
  }

  /** {@code GET /api/v1/files/{sha256}}: the stored file, or empty when the master has none. */
  public java.util.Optional<StoredFile> storedFile(String sha256) {
    try {
      return java.util.Optional.of(
          call(get("/api/v1/files/" + segment(sha256)), new TypeReference<StoredFile>() {}));
    } catch (ApiException e) {
      if (e.status() == 404) {
        return java.util.Optional.empty();
      }
      throw e;
    }
  }

  /** True when requests carry a token. */
  public boolean hasToken() {
    return token != null;
  }

  /**
   * Opens {@code GET /api/v1/tasks/{id}/events}. Returns once the master has accepted the stream
   * (an unknown task throws {@link ApiException} 404 here); events are then delivered to {@code
   * listener} on a daemon thread until the master ends the stream after the task's final state, the
   * connection breaks, or the returned stream is closed.
   */
  public EventStream events(String taskId, EventListener listener) {
    Objects.requireNonNull(listener, "listener");
    String path = "/api/v1/tasks/" + segment(taskId) + "/events";
    Request req =
        new Request("GET", path, null)
            .header("Accept", "text/event-stream")
            .header("Cache-Control", "no-cache");
    Response resp = send(req);
    if (resp.status() / 100 != 2) {
      byte[] bytes;
      try (resp) {
        bytes = resp.body().readNBytes(64 * 1024);
      } catch (IOException e) {
        bytes = new byte[0];
      }
      throw error(resp.status(), bytes);
    }
    EventStream stream = new EventStream(resp.body(), listener, json, "mschedule-events-" + taskId);
    stream.start();
    return stream;
  }

  private Request postJson(String path, Object body) {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode the request", e);
    }
    return request("POST", path).json(bytes);
  }

  private Request get(String path) {
    return request("GET", path);
  }

  /** A request that expects JSON within the request timeout. */
  private Request request(String method, String path) {
    return new Request(method, path, requestTimeout).header("Accept", "application/json");
  }

  /**
   * One request: a method, a path below the base URL, headers, a body (bytes, a file streamed from
   * disk, or none) and how long to wait for the answer (null: no limit).
   */
  private record Request(
      String method,
      String path,
      Duration timeout,
      Map<String, String> headers,
      byte[] bytes,
      Path file) {
    Request(String method, String path, Duration timeout) {
      this(method, path, timeout, Map.of(), null, null);
    }

    Request header(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Request(method, path, timeout, h, bytes, file);
    }

    Request json(byte[] body) {
      return header("Content-Type", "application/json").bytes(body);
    }

    Request noBody() {
      return bytes(new byte[0]);
    }

    Request bytes(byte[] body) {
      return new Request(method, path, timeout, headers, body, null);
    }

    Request file(Path f) {
      return new Request(method, path, timeout, headers, null, f);
    }
  }

  /** An answer: its status and body (the error body for an error status). Close it when done. */
  private record Response(int status, InputStream body, HttpURLConnection connection)
      implements AutoCloseable {
    byte[] readAll() {
      try {
        return body.readAllBytes();
      } catch (IOException e) {
        throw new MasterUnreachableException(
            connection.getURL().toString(), "the answer broke off: " + describe(e), e);
      }
    }

    @Override
    public void close() {
      try {
        body.close();
      } catch (IOException ignored) {
        // the connection is not reused then
      }
    }
  }

  private <T> T call(Request req, TypeReference<T> type) {
    byte[] body;
    int status;
    try (Response resp = send(req)) {
      status = resp.status();
      body = resp.readAll();
    }
    if (status / 100 != 2) {
      throw error(status, body);
    }
    try {
      return json.readValue(body, type);
    } catch (IOException e) {
      String why =
          e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
      throw new ApiException(
          status, "unexpected answer from the master at " + base + ": " + why, null, e);
    }
  }

  private Response send(Request req) {
    try {
      HttpURLConnection c =
          (HttpURLConnection) URI.create(base + req.path()).toURL().openConnection();
      if (c instanceof javax.net.ssl.HttpsURLConnection https) {
        https.setSSLSocketFactory(tls());
      }
      c.setRequestMethod(req.method());
      c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
      c.setReadTimeout(req.timeout() == null ? 0 : (int) req.timeout().toMillis());
      c.setInstanceFollowRedirects(true);
      c.setUseCaches(false);
      if (token != null) {
        c.setRequestProperty("Authorization", "Bearer " + token);
      }
      req.headers().forEach(c::setRequestProperty);
      if (req.file() != null) {
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(Files.size(req.file()));
        try (OutputStream out = c.getOutputStream()) {
          Files.copy(req.file(), out);
        }
      } else if (req.bytes() != null) {
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(req.bytes().length);
        try (OutputStream out = c.getOutputStream()) {
          out.write(req.bytes());
        }
      }
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      return new Response(status, in == null ? InputStream.nullInputStream() : in, c);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file: " + e.getFile(), e);
    } catch (IOException e) {
      throw new MasterUnreachableException(base.toString(), describe(e), e);
    }
  }

  /** The TLS socket factory, made on the first {@code https} request. */
  private javax.net.ssl.SSLSocketFactory tls() {
    javax.net.ssl.SSLSocketFactory f = tls;
    if (f == null) {
      f = LazyTrust.context().getSocketFactory();
      tls = f;
    }
    return f;
  }

  /** Maps an error answer in the API's error shape (or anything else) to an exception. */
  private ApiException error(int status, byte[] body) {
    String text = body == null ? "" : new String(body, StandardCharsets.UTF_8).strip();
    try {
      JsonNode node = json.readTree(text);
      if (node != null && node.isObject() && node.hasNonNull("error")) {
        String field = node.hasNonNull("field") ? node.get("field").asText() : null;
        return new ApiException(status, node.get("error").asText(), field);
      }
    } catch (IOException notJson) {
      // fall through to the raw text
    }
    String message = "HTTP " + status;
    if (!text.isEmpty()) {
      message +=
          ": " + (text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "…" : text);
    }
    return new ApiException(status, message, null);
  }

  private static String describe(IOException e) {
    if (e instanceof SocketTimeoutException) {
      String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
      return m.contains("connect") ? "connection timed out" : "no answer in time";
    }
    if (e instanceof UnknownHostException) {
      return "unknown host";
    }
    if (e instanceof ConnectException) {
      String m = e.getMessage();
      if (m == null || m.isBlank()) {
        return "connection refused";
      }
      m = m.toLowerCase(java.util.Locale.ROOT);
      int paren = m.indexOf(" (");
      return paren > 0 ? m.substring(0, paren) : m; // "connection refused (connection refused)"
    }
    String msg = e.getMessage();
    return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
  }

  private static String segment(String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("an id is required");
    }
    return URLEncoder.encode(id.strip(), StandardCharsets.UTF_8).replace("+", "%20");
  }

  static URI normalize(String baseUrl) {
    if (baseUrl == null || baseUrl.isBlank()) {
      throw new IllegalArgumentException("the master URL is empty");
    }
    String url = baseUrl.strip();
    if (!url.contains("://")) {
      url = "http://" + url;
    }
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a valid master URL: " + baseUrl, e);
    }
    String scheme =
        uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "not a valid master URL (expected http://HOST:PORT): " + baseUrl);
    }
    if (uri.getQuery() != null || uri.getFragment() != null) {
      throw new IllegalArgumentException("the master URL must not have a query: " + baseUrl);
    }
    return uri;
  }
}
