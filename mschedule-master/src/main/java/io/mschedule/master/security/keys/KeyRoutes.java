package io.mschedule.master.security.keys;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.mschedule.master.api.ApiAccess;
import io.mschedule.master.api.ApiException;
import io.mschedule.master.api.ApiRoutes;
import io.mschedule.master.api.IdPrefix;
import io.mschedule.master.api.Json;
import io.mschedule.master.store.AgentKey;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/v1/keys}: list agent keys and accept, reject or delete them (admin only; the
 * permission is enforced by the API's access check).
 */
public final class KeyRoutes implements ApiRoutes {
  private final KeyRegistry keys;
  private final ApiAccess access;

  public record KeyJson(
      String agentId,
      String publicKey,
      String state,
      String firstSeen,
      String decidedAt,
      String decidedBy) {}

  public KeyRoutes(KeyRegistry keys, ApiAccess access) {
    this.keys = keys;
    this.access = access;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get(
        "/api/v1/keys", ctx -> json(ctx, 200, keys.list().stream().map(KeyRoutes::view).toList()));
    routes.post(
        "/api/v1/keys/accept-all",
        ctx -> json(ctx, 200, Map.of("accepted", keys.acceptAll(actor(ctx)))));
    routes.post(
        "/api/v1/keys/{id}/accept",
        ctx -> {
          String id = agentId(ctx);
          decide(ctx, id, keys.accept(id, actor(ctx)));
        });
    routes.post(
        "/api/v1/keys/{id}/reject",
        ctx -> {
          String id = agentId(ctx);
          decide(ctx, id, keys.reject(id, actor(ctx)));
        });
    routes.delete(
        "/api/v1/keys/{id}",
        ctx -> {
          String id = agentId(ctx);
          if (!keys.delete(id, actor(ctx))) {
            throw ApiException.notFound("key of agent " + id);
          }
          ctx.status(204);
        });
  }

  /** The agent id in the path, whole or as a unique prefix of a known key's agent. */
  private String agentId(Context ctx) {
    return IdPrefix.resolveIn(
        "key of agent", ctx.pathParam("id"), keys.list().stream().map(AgentKey::agentId).toList());
  }

  private void decide(Context ctx, String id, boolean found) {
    if (!found) {
      throw ApiException.notFound("key of agent " + id);
    }
    json(ctx, 200, view(keys.find(id).orElseThrow()));
  }

  private String actor(Context ctx) {
    String c = access.caller(ctx);
    return c == null ? "anonymous" : c;
  }

  static KeyJson view(AgentKey k) {
    return new KeyJson(
        k.agentId(),
        k.publicKey(),
        k.state() == null ? null : k.state().name().toLowerCase(Locale.ROOT),
        time(k.firstSeen()),
        time(k.decidedAt()),
        k.decidedBy());
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }

  private static void json(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }

  static List<KeyJson> views(List<AgentKey> list) {
    return list.stream().map(KeyRoutes::view).toList();
  }
}
