package io.mschedule.master.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.mschedule.master.api.ApiAccess;
import io.mschedule.master.api.ApiException;
import io.mschedule.master.api.ApiRoutes;
import io.mschedule.master.api.Json;
import io.mschedule.master.api.TaskRequestParser;
import io.mschedule.master.api.Views;
import io.mschedule.master.audit.AuditLog;
import io.mschedule.master.dispatch.TaskService;
import io.mschedule.master.store.ScheduleRecord;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code /api/v1/schedules}: read (viewer), trigger (operator), create and change (admin). */
public final class ScheduleRoutes implements ApiRoutes {
  private static final int MAX_NEXT = 100;

  private final ScheduleService schedules;
  private final TaskStore tasks;
  private final ApiAccess access;
  private final AuditLog audit;

  private final Views views;

  public ScheduleRoutes(
      ScheduleService schedules, TaskStore tasks, ApiAccess access, AuditLog audit, Views views) {
    this.views = views;
    this.schedules = schedules;
    this.tasks = tasks;
    this.access = access;
    this.audit = audit;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get(
        "/api/v1/schedules",
        ctx -> reply(ctx, 200, schedules.all().stream().map(this::view).toList()));
    routes.post("/api/v1/schedules", this::add);
    routes.get(
        "/api/v1/schedules/{name}",
        ctx -> reply(ctx, 200, view(schedules.get(ctx.pathParam("name")))));
    routes.delete("/api/v1/schedules/{name}", this::delete);
    routes.post("/api/v1/schedules/{name}/pause", ctx -> pause(ctx, true));
    routes.post("/api/v1/schedules/{name}/resume", ctx -> pause(ctx, false));
    routes.get("/api/v1/schedules/{name}/next", this::next);
    routes.post("/api/v1/schedules/{name}/trigger", this::trigger);
    routes.exception(ScheduleService.NotFound.class, (e, ctx) -> problem(ctx, 404, e.getMessage()));
    routes.exception(ScheduleService.Conflict.class, (e, ctx) -> problem(ctx, 409, e.getMessage()));
  }

  private void add(Context ctx) {
    JsonNode body = TaskRequestParser.object(ctx.body());
    TaskRequest settings = TaskRequestParser.parse(body); // targets, thresholds, env
    JsonNode deadline = body.get("starting_deadline");
    if (deadline != null
        && !deadline.isNull()
        && !(deadline.isIntegralNumber() && deadline.canConvertToInt())) {
      throw new ApiException(
          400, "starting_deadline: expected a whole number of seconds", "starting_deadline");
    }
    ScheduleRecord s =
        schedules.add(
            new ScheduleRequest(
                text(body, "name"),
                settings.job(),
                text(body, "cron"),
                text(body, "tz"),
                settings.targets(),
                settings.parallel(),
                settings.failRate(),
                settings.failCount(),
                settings.timeout(),
                settings.env(),
                text(body, "concurrency"),
                text(body, "misfire"),
                deadline == null || deadline.isNull() ? null : deadline.asInt(),
                settings.retries(),
                settings.retryDelay()),
            access.caller(ctx));
    audit.record(
        actor(ctx),
        "schedule.create",
        s.name(),
        "job=" + ref(s) + " cron=" + s.cron() + " tz=" + s.timeZone());
    reply(ctx, 201, view(s));
  }

  private void delete(Context ctx) {
    String name = ctx.pathParam("name");
    schedules.delete(name);
    audit.record(actor(ctx), "schedule.delete", name, null);
    ctx.status(204);
  }

  private void pause(Context ctx, boolean paused) {
    String name = ctx.pathParam("name");
    ScheduleRecord s = schedules.setPaused(name, paused);
    audit.record(actor(ctx), paused ? "schedule.pause" : "schedule.resume", name, null);
    reply(ctx, 200, view(s));
  }

  private void next(Context ctx) {
    int n = 5;
    String q = ctx.queryParam("n");
    if (q != null) {
      try {
        n = Integer.parseInt(q);
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 1 || n > MAX_NEXT) {
        throw new ApiException(400, "n: expected a whole number 1-" + MAX_NEXT, "n");
      }
    }
    String name = ctx.pathParam("name");
    reply(ctx, 200, schedules.next(name, n).stream().map(Instant::toString).toList());
  }

  private void trigger(Context ctx) {
    String name = ctx.pathParam("name");
    Task t = schedules.trigger(name, access.caller(ctx));
    List<Run> runs = tasks.runs(t.id());
    audit.record(
        actor(ctx),
        "schedule.trigger",
        name,
        TaskService.submitDetail(t, runs.size()) + " task=" + t.id());
    reply(ctx, 201, views.task(t, runs, null));
  }

  private Map<String, Object> view(ScheduleRecord s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", s.name());
    out.put("job", s.job());
    out.put("job_version", s.jobVersion());
    out.put("cron", s.cron());
    out.put("tz", s.timeZone());
    out.put("targets", s.targets());
    out.put("parallel", s.parallel());
    out.put("fail_rate", s.failRate());
    out.put("fail_count", s.failCount());
    out.put("timeout", s.timeoutSeconds());
    out.put("env", s.env());
    out.put("retries", s.retries() == null ? 0 : s.retries());
    out.put("retry_delay", s.retryDelay());
    out.put("concurrency", s.concurrency().name().toLowerCase(Locale.ROOT));
    out.put("misfire", s.misfire().name().toLowerCase(Locale.ROOT));
    out.put("starting_deadline", s.startingDeadlineSeconds());
    out.put("paused", s.paused());
    out.put("created_at", time(s.createdAt()));
    out.put("created_by", s.createdBy());
    out.put("last_slot", time(s.lastSlot()));
    Instant next =
        s.paused()
            ? null
            : CronSlots.of(s.cron(), s.timeZone())
                .next(s.lastSlot() == null ? s.createdAt() : s.lastSlot());
    out.put("next_slot", time(next));
    return out;
  }

  private static String ref(ScheduleRecord s) {
    return s.jobVersion() == null ? s.job() : s.job() + "@" + s.jobVersion();
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }

  private static String text(JsonNode body, String field) {
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

  private static void problem(Context ctx, int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("error", message);
    reply(ctx, status, body);
  }

  private static void reply(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }
}
