package io.mschedule.master.metrics;

import io.javalin.config.JavalinConfig;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mschedule.master.agents.AgentRegistry;
import io.mschedule.master.agents.AgentView;
import io.mschedule.master.live.TaskEvents;
import java.util.function.LongSupplier;

/**
 * The master's Prometheus metrics (docs/operations.md): agents by state, ended tasks and runs, run
 * durations, runs waiting for dispatch, API requests by route template, and the JVM. No label ever
 * names a host, a task or a token.
 */
public final class MasterMetrics implements AutoCloseable {
  /** Route label of requests that matched no route (404s). */
  static final String UNMATCHED = "unmatched";

  /** Route label of the console's static files. */
  static final String STATIC = "static";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  /**
   * @param waitingRuns the number of runs of unfinished tasks still waiting to be dispatched
   */
  public MasterMetrics(AgentRegistry agents, LongSupplier waitingRuns, TaskEvents events) {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    for (String state : new String[] {"online", "offline", "pending"}) {
      Gauge.builder("mschedule.agents", agents, a -> count(a, state))
          .description("Known agents by state (pending: key waiting for acceptance)")
          .strongReference(true)
          .tag("state", state)
          .register(registry);
    }
    // strong: the supplier is a lambda nothing else holds (a weak one reads NaN after a GC)
    Gauge.builder("mschedule.dispatch.queue.runs", waitingRuns, s -> (double) s.getAsLong())
        .description("Runs of unfinished tasks waiting to be dispatched")
        .strongReference(true)
        .register(registry);
    events.subscribeAll(new TaskMetrics(registry));
  }

  private static double count(AgentRegistry agents, String state) {
    return agents.all().stream().filter(a -> state.equals(stateOf(a))).count();
  }

  /** An agent whose key waits for a decision is pending, whatever its link. */
  static String stateOf(AgentView a) {
    return "pending".equals(a.key()) ? "pending" : a.state();
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The metrics in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  /** Counts every HTTP request of {@code config}'s server by route template and status. */
  public void countRequests(JavalinConfig config) {
    JavalinState state = config.unsafe;
    config.requestLogger.http((ctx, ms) -> request(route(ctx, state), ctx.status().getCode()));
  }

  void request(String route, int status) {
    Counter.builder("mschedule.api.requests")
        .description("HTTP requests answered, by route template and status")
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .register(registry)
        .increment();
  }

  /**
   * The template of the route that handled the request or, when a before-handler refused it (401,
   * 403, 429), of the route that would have: looked up in the router by method and path.
   */
  private static String route(Context ctx, JavalinState state) {
    Endpoint e = ctx.endpoints().lastHttpEndpoint();
    if (e == null && state.internalRouter != null) {
      ParsedEndpoint p = state.internalRouter.findFirstHttpHandlerEntry(ctx.method(), ctx.path());
      e = p == null ? null : p.endpoint;
    }
    if (e != null && e.path != null && !e.path.isEmpty()) {
      return e.path;
    }
    return ctx.status().getCode() < 400 && !ctx.path().startsWith("/api/") ? STATIC : UNMATCHED;
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
