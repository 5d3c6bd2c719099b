package io.mschedule.master.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.mschedule.master.api.ApiAccess;
import io.mschedule.master.api.ApiException;
import io.mschedule.master.api.ApiRoutes;
import io.mschedule.master.api.Json;
import io.mschedule.master.audit.AuditLog;
import io.mschedule.master.store.JobStore;
import io.mschedule.master.store.JobVersion;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/v1/jobs}: list jobs, push and roll back versions (admin), read versions and diffs.
 */
public final class JobRoutes implements ApiRoutes {
  private final JobService jobs;
  private final ApiAccess access;
  private final AuditLog audit;

  public JobRoutes(JobService jobs, ApiAccess access, AuditLog audit) {
    this.jobs = jobs;
    this.access = access;
    this.audit = audit;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get(
        "/api/v1/jobs",
        ctx -> reply(ctx, 200, jobs.jobs().stream().map(v -> view(v, null)).toList()));
    routes.get("/api/v1/jobs/{name}", ctx -> show(ctx, new JobRef(name(ctx), null)));
    routes.get("/api/v1/jobs/{name}/versions", this::versions);
    routes.post("/api/v1/jobs/{name}/versions", this::push);
    routes.get(
        "/api/v1/jobs/{name}/versions/{n}",
        ctx -> show(ctx, new JobRef(name(ctx), number(ctx.pathParam("n"), "version"))));
    routes.get("/api/v1/jobs/{name}/diff", this::diff);
    routes.post("/api/v1/jobs/{name}/rollback", this::rollback);
    routes.delete("/api/v1/jobs/{name}", this::delete);
    routes.exception(
        JobService.InUse.class,
        (e, ctx) -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("status", 409);
          body.put("error", e.getMessage());
          reply(ctx, 409, body);
        });
    routes.exception(
        JobService.NotFound.class,
        (e, ctx) -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("status", 404);
          body.put("error", e.getMessage());
          reply(ctx, 404, body);
        });
  }

  private void versions(Context ctx) {
    reply(ctx, 200, jobs.versions(name(ctx)).stream().map(v -> view(v, null)).toList());
  }

  private void show(Context ctx, JobRef ref) {
    JobVersion v = jobs.version(ref);
    reply(ctx, 200, view(v, jobs.script(v)));
  }

  private void push(Context ctx) {
    String name = name(ctx);
    JsonNode body = body(ctx);
    JobStore.Pushed p =
        jobs.push(name, text(body, "script"), access.caller(ctx), text(body, "message"));
    if (p.created()) {
      audit.record(
          actor(ctx),
          "job.push",
          name + "@" + p.version().version(),
          "script sha256=" + p.version().sha256());
    }
    reply(ctx, p.created() ? 201 : 200, pushed(p));
  }

  private void rollback(Context ctx) {
    String name = name(ctx);
    JsonNode body = body(ctx);
    JsonNode to = body.get("to");
    if (to == null || !to.isIntegralNumber() || !to.canConvertToInt() || to.asInt() < 1) {
      throw new ApiException(400, "to: expected a version number (1, 2, ...)", "to");
    }
    JobStore.Pushed p = jobs.rollback(name, to.asInt(), access.caller(ctx));
    audit.record(
        actor(ctx),
        "job.rollback",
        name + "@" + p.version().version(),
        "to version " + to.asInt() + " sha256=" + p.version().sha256());
    reply(ctx, p.created() ? 201 : 200, pushed(p));
  }

  private void delete(Context ctx) {
    String name = name(ctx);
    jobs.delete(name);
    audit.record(actor(ctx), "job.delete", name, null);
    ctx.status(204);
  }

  private void diff(Context ctx) {
    String name = name(ctx);
    int from = number(ctx.queryParam("from"), "from");
    int to = number(ctx.queryParam("to"), "to");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("job", name);
    out.put("from", from);
    out.put("to", to);
    out.put("diff", jobs.diff(name, from, to));
    reply(ctx, 200, out);
  }

  private static Map<String, Object> pushed(JobStore.Pushed p) {
    Map<String, Object> out = view(p.version(), null);
    out.put("created", p.created());
    return out;
  }

  /** A version as JSON; {@code script} only when given. */
  static Map<String, Object> view(JobVersion v, String script) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("job", v.job());
    out.put("version", v.version());
    out.put("sha256", v.sha256());
    out.put("created_at", v.createdAt() == null ? null : v.createdAt().toString());
    out.put("created_by", v.createdBy());
    out.put("message", v.message());
    if (script != null) {
      out.put("script", script);
    }
    return out;
  }

  private static String name(Context ctx) {
    return JobRef.checkName(ctx.pathParam("name"), "name");
  }

  private static int number(String text, String field) {
    if (text == null) {
      throw new ApiException(400, field + ": required", field);
    }
    try {
      int n = Integer.parseInt(text);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(400, field + ": expected a version number (1, 2, ...)", field);
  }

  static JsonNode body(Context ctx) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(ctx.body());
    } catch (Exception e) {
      throw new ApiException(400, "body: not valid JSON", null);
    }
    if (root == null || !root.isObject()) {
      throw new ApiException(400, "body: expected a JSON object", null);
    }
    return root;
  }

  static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new ApiException(400, field + ": expected a string", field);
    }
    return n.asText();
  }

  private String actor(Context ctx) {
    String c = access.caller(ctx);
    return c == null ? "anonymous" : c;
  }

  static void reply(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }
}
