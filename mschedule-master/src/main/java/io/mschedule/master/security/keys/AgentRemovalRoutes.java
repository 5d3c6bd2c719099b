package io.mschedule.master.security.keys;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.mschedule.master.agents.AgentRegistry;
import io.mschedule.master.api.ApiAccess;
import io.mschedule.master.api.ApiException;
import io.mschedule.master.api.ApiRoutes;
import io.mschedule.master.audit.AuditLog;

/**
 * {@code DELETE /api/v1/agents/{id}} (admin): the agent leaves the fleet and its key is forgotten.
 * An agent that still runs comes back with a pending key when it next registers.
 */
public final class AgentRemovalRoutes implements ApiRoutes {
  private final AgentRegistry registry;
  private final KeyRegistry keys;
  private final ApiAccess access;
  private final AuditLog audit;

  public AgentRemovalRoutes(
      AgentRegistry registry, KeyRegistry keys, ApiAccess access, AuditLog audit) {
    this.registry = registry;
    this.keys = keys;
    this.access = access;
    this.audit = audit;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.delete("/api/v1/agents/{id}", this::remove);
  }

  private void remove(Context ctx) {
    String id = ctx.pathParam("id");
    String actor = access.caller(ctx) == null ? "anonymous" : access.caller(ctx);
    boolean hadKey = keys.delete(id, actor);
    boolean wasKnown = registry.remove(id);
    if (!hadKey && !wasKnown) {
      throw ApiException.notFound("agent " + id);
    }
    audit.record(actor, "agent.remove", id, null);
    ctx.status(204);
  }
}
