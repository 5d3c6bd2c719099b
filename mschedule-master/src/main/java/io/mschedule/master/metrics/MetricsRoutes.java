package io.mschedule.master.metrics;

import io.javalin.config.RoutesConfig;
import io.mschedule.master.api.ApiAccess;
import io.mschedule.master.api.ApiRoutes;
import io.mschedule.protocol.metrics.MetricsHttpServer;

/** {@code GET /metrics} on the API port, for any API token (Prometheus sends it as a bearer). */
public final class MetricsRoutes implements ApiRoutes {
  public static final String PATH = "/metrics";

  private final MasterMetrics metrics;
  private final ApiAccess access;

  public MetricsRoutes(MasterMetrics metrics, ApiAccess access) {
    this.metrics = metrics;
    this.access = access;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.before(PATH, access::check);
    routes.get(
        PATH, ctx -> ctx.contentType(MetricsHttpServer.CONTENT_TYPE).result(metrics.scrape()));
  }
}
