package io.mschedule.master.api;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.mschedule.master.agents.AgentRegistry;
import io.mschedule.master.agents.TargetSelection;
import io.mschedule.master.agents.TargetSelector;
import io.mschedule.master.audit.AuditLog;
import io.mschedule.master.dispatch.RerunService;
import io.mschedule.master.dispatch.TaskCoordinator;
import io.mschedule.master.dispatch.TaskService;
import io.mschedule.master.live.TaskEvents;
import io.mschedule.master.store.DatabaseOutage;
import io.mschedule.master.store.TaskQuery;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.store.jdbc.StoreException;
import io.mschedule.master.task.BadRequestException;
import io.mschedule.master.task.Task;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The master's HTTP API (docs/api.md) and web console. */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  private java.util.function.Function<String, String> relayOf = id -> null;
  private java.util.function.Predicate<String> unreachable = id -> false;
  private final Javalin app;
  private final AgentRegistry registry;
  private final TaskStore store;
  private final TaskService tasks;
  private final TaskCoordinator coordinator;
  private final AuditLog audit;
  private final Views views;
  private final Clock clock;
  private final RerunService reruns;

  public ApiServer(
      AgentRegistry registry,
      TaskStore store,
      TaskService tasks,
      TaskCoordinator coordinator,
      TaskEvents events,
      ApiAccess access,
      AuditLog audit,
      List<ApiRoutes> extraRoutes,
      ApiLimits limits,
      Consumer<JavalinConfig> server,
      Clock clock) {
    this.registry = registry;
    this.store = store;
    this.tasks = tasks;
    this.coordinator = coordinator;
    this.audit = audit;
    this.reruns = new RerunService(store, tasks);
    this.clock = clock;
    this.views = new Views(registry::displayName);
    TaskEventStream sse = new TaskEventStream(store, events, views, this::taskId);
    StreamSlots streams = new StreamSlots(limits.maxStreamsPerToken(), limits.maxStreams());
    long maxRequestBytes = limits.maxRequestBytes();
    this.app =
        Javalin.create(
            config -> {
              server.accept(config);
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              HttpHardening.apply(config);
              // room for a script at the size limit, even with JSON escaping
              config.http.maxRequestSize = maxRequestBytes;
              if (ApiServer.class.getResource("/web/index.html") != null) {
                config.staticFiles.add("/web", Location.CLASSPATH);
              }
              config.routes.before("/api/*", access::check);
              config.routes.get(
                  "/api/v1/info",
                  ctx ->
                      ctx.contentType("application/json")
                          .result(
                              Json.write(
                                  java.util.Map.of("default_parallel", tasks.defaultParallel()))));
              // for load balancers: no token, no detail
              config.routes.get("/healthz", ctx -> json(ctx, 200, Map.of("status", "ok")));
              config.routes.post(
                  "/api/v1/targets/preview", ctx -> preview(ctx, limits.maxTargets()));
              config.routes.before("/api/*", ApiServer::requireJsonBody);
              config.routes.before("/api/*", ApiServer::boundedIds);
              config.routes.before(
                  EVENTS,
                  ctx -> {
                    String accept = ctx.header("Accept");
                    if (accept == null || !accept.contains("text/event-stream")) {
                      throw new ApiException(
                          406, "this is a live event stream: send Accept: text/event-stream", null);
                    }
                    ctx.attribute(SLOT, streams.acquire(access.callerKey(ctx)));
                  });
              config.routes.after(EVENTS, ApiServer::releaseSlot);
              config.routes.get("/api/v1/agents", this::agents);
              config.routes.get("/api/v1/agents/{id}", this::agent);
              config.routes.post("/api/v1/tasks", ctx -> submit(ctx, access, limits.maxTargets()));
              config.routes.get("/api/v1/tasks", this::listTasks);
              config.routes.get("/api/v1/tasks/{id}", this::task);
              config.routes.post("/api/v1/tasks/{id}/kill", ctx -> kill(ctx, access));
              config.routes.post("/api/v1/tasks/{id}/rerun", ctx -> rerun(ctx, access));
              extraRoutes.forEach(r -> r.register(config.routes));
              config.routes.sse(
                  EVENTS,
                  client -> {
                    try {
                      sse.serve(client);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    } catch (Exception e) {
                      log.debug("event stream ended: {}", e.toString());
                    } finally {
                      releaseSlot(client.ctx());
                    }
                  });
              config.routes.exception(
                  ApiException.class,
                  (e, ctx) -> problem(ctx, e.status(), e.getMessage(), e.field()));
              config.routes.exception(
                  BadRequestException.class,
                  (e, ctx) -> problem(ctx, 400, e.getMessage(), e.field()));
              config.routes.exception(
                  StoreException.class,
                  (e, ctx) -> {
                    if (DatabaseOutage.is(e)) {
                      log.warn("{} {}: {}", ctx.method(), ctx.path(), DatabaseOutage.message(e));
                      problem(ctx, 503, DatabaseOutage.message(e), null);
                    } else {
                      internalError(ctx, e);
                    }
                  });
              config.routes.exception(Exception.class, (e, ctx) -> internalError(ctx, e));
              config.routes.error(
                  413,
                  "*",
                  ctx ->
                      problem(
                          ctx,
                          413,
                          "request body over the limit of " + maxRequestBytes + " bytes",
                          null));
              config.routes.error(
                  405,
                  "*",
                  ctx ->
                      problem(ctx, 405, ctx.method() + " is not allowed on " + ctx.path(), null));
              config.routes.error(
                  404,
                  "*",
                  ctx -> {
                    String type = ctx.res().getContentType();
                    if (type == null || !type.startsWith("application/json")) {
                      problem(ctx, 404, "no such resource: " + ctx.path(), null);
                    }
                  });
            });
  }

  public ApiServer start(String host, int port) {
    app.start(host, port);
    return this;
  }

  public int port() {
    return app.port();
  }

  /**
   * Which relay each agent is connected through (null: directly), and which agents are cut off
   * behind one ({@code unreachable}); before {@link #start}.
   */
  public ApiServer relays(
      java.util.function.Function<String, String> relayOf,
      java.util.function.Predicate<String> unreachable) {
    this.relayOf = relayOf;
    this.unreachable = unreachable;
    return this;
  }

  private void agents(Context ctx) {
    json(
        ctx,
        200,
        registry.all().stream()
            .map(a -> Views.agent(a, relayOf.apply(a.id()), unreachable.test(a.id())))
            .toList());
  }

  private void agent(Context ctx) {
    String id =
        IdPrefix.resolveIn(
            "agent",
            ctx.pathParam("id"),
            registry.all().stream().map(io.mschedule.master.agents.AgentView::id).toList());
    json(
        ctx,
        200,
        Views.agent(
            registry.find(id).orElseThrow(() -> ApiException.notFound("agent " + id)),
            relayOf.apply(id),
            unreachable.test(id)));
  }

  private static final String EVENTS = "/api/v1/tasks/{id}/events";
  private static final String SLOT = "mschedule.streamSlot";

  private static void releaseSlot(Context ctx) {
    StreamSlots.Slot slot = ctx.attribute(SLOT);
    if (slot != null) {
      slot.close();
    }
  }

  /** No id in the API is longer; a longer path segment names nothing (and never reaches SQL). */
  static final int MAX_SEGMENT = 128;

  private static void boundedIds(Context ctx) {
    for (String segment : ctx.path().split("/")) {
      if (segment.length() > MAX_SEGMENT) {
        throw new ApiException(
            404,
            "no such resource: a path segment has "
                + segment.length()
                + " characters, ids have at most "
                + MAX_SEGMENT,
            null);
      }
    }
  }

  /** A request with a body must say it is JSON (415 otherwise): no form posts, no text/plain. */
  /** Where files are uploaded: the one route whose body is not JSON. */
  static final String FILES = "/api/v1/files";

  private static void requireJsonBody(Context ctx) {
    if (ctx.path().equals(FILES) && ctx.method() == io.javalin.http.HandlerType.POST) {
      return; // an upload: the body is the file itself
    }
    boolean hasBody =
        ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
    if (!hasBody) {
      return;
    }
    String type = ctx.header("Content-Type");
    String media =
        type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
    if (!media.equals("application/json")) {
      throw new ApiException(
          415,
          "Content-Type: expected application/json, got "
              + (type == null ? "none" : "'" + clip(type) + "'"),
          null);
    }
  }

  private static String clip(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "…";
  }

  /** What targets would select, without running anything (docs/api.md). */
  private void preview(Context ctx, int maxTargets) {
    TargetSelection s =
        TargetSelector.preview(TaskRequestParser.parse(ctx.body(), maxTargets).targets(), registry);
    json(ctx, 200, Views.preview(s));
  }

  private void submit(Context ctx, ApiAccess access, int maxTargets) {
    Task t = tasks.submit(TaskRequestParser.parse(ctx.body(), maxTargets), access.caller(ctx));
    // audited with the task, in its transaction; read once: a task may have thousands of runs
    json(ctx, 201, views.task(t, store.runs(t.id()), null));
  }

  private void rerun(Context ctx, ApiAccess access) {
    String id = ctx.pathParam("id");
    String hosts = "failed";
    Integer retries = null;
    Integer retryDelay = null;
    if (!ctx.body().isBlank()) {
      var body = TaskRequestParser.object(ctx.body());
      var h = body.get("hosts");
      if (h != null && !h.isNull()) {
        hosts = h.asText();
      }
      retries = TaskRequestParser.integer(body, "retries");
      retryDelay = TaskRequestParser.integer(body, "retry_delay");
    }
    if (!hosts.equals("failed") && !hosts.equals("all")) {
      throw new ApiException(400, "hosts: expected \"failed\" or \"all\", got " + hosts, "hosts");
    }
    Task t =
        reruns
            .rerun(id, hosts.equals("failed"), access.caller(ctx), retries, retryDelay)
            .orElseThrow(() -> ApiException.notFound("task " + id));
    json(ctx, 201, views.task(t, store.runs(t.id()), null)); // audited with the task
  }

  private void listTasks(Context ctx) {
    TaskQuery query = TaskQueryParser.parse(ctx::queryParam, clock);
    boolean withRuns = !"false".equals(ctx.queryParam("runs"));
    List<Object> out =
        store.tasks(query).stream()
            .map(t -> (Object) Views.summary(views.task(t, store.runs(t.id()), null, withRuns)))
            .toList();
    json(ctx, 200, out);
  }

  /** The task id in the path, whole or as a unique prefix. */
  private String taskId(String given) {
    return IdPrefix.resolve(
        "task", given, id -> store.findTask(id).isPresent(), store::taskIdsStartingWith);
  }

  private void task(Context ctx) {
    String id = taskId(ctx.pathParam("id"));
    Task t = store.findTask(id).orElseThrow(() -> ApiException.notFound("task " + id));
    json(ctx, 200, views.task(t, store.runs(id), store.runOutputs(id), store.attempts(id)));
  }

  private void kill(Context ctx, ApiAccess access) throws Exception {
    String id = taskId(ctx.pathParam("id"));
    Task before = store.findTask(id).orElseThrow(() -> ApiException.notFound("task " + id));
    if (before.state().isFinal()) {
      throw new ApiException(409, "task " + id + " already ended " + before.state(), null);
    }
    Task t = coordinator.kill(id, access.caller(ctx)).get(10, TimeUnit.SECONDS);
    audit.record(actor(access, ctx), "task.kill", id, t == null ? "already ended" : null);
    if (t == null) {
      Task now = store.findTask(id).orElseThrow();
      if (!now.state().isFinal()) {
        throw new ApiException(
            409,
            "task "
                + id
                + " is driven by no master at the moment (its master stopped; another takes it"
                + " over within master-dead-after): try again then",
            null);
      }
      throw new ApiException(409, "task " + id + " already ended " + now.state(), null);
    }
    json(ctx, 202, views.task(t, store.runs(id), null));
  }

  private static void internalError(Context ctx, Exception e) {
    log.error("{} {} failed", ctx.method(), ctx.path(), e);
    problem(ctx, 500, "internal error: " + e.getClass().getSimpleName(), null);
  }

  private static String actor(ApiAccess access, Context ctx) {
    String c = access.caller(ctx);
    return c == null ? "anonymous" : c;
  }

  static void json(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }

  static void problem(Context ctx, int status, String message, String field) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("error", message);
    if (field != null) {
      body.put("field", field);
    }
    json(ctx, status, body);
  }

  @Override
  public void close() {
    app.stop();
  }
}
