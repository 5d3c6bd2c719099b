package io.mschedule.master.security.keys;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.mschedule.master.api.ApiAccess;
import io.mschedule.master.api.ApiException;
import io.mschedule.master.api.ApiRoutes;
import io.mschedule.master.api.Json;
import io.mschedule.master.audit.AuditLog;
import io.mschedule.master.security.TtlField;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/v1/join-tokens} (admin): create, list and revoke the join tokens of {@link
 * JoinTokens}, each change audited. A token's value is only in the answer to its creation.
 */
public final class JoinTokenRoutes implements ApiRoutes {
  /** The validity of a join token created without {@code ttl_seconds}. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);

  /** A join token as listed. */
  record JoinTokenJson(
      String id, String createdAt, String expiresAt, String createdBy, boolean expired) {
    static JoinTokenJson of(JoinTokens.JoinToken t, Instant now) {
      return new JoinTokenJson(
          t.id(), time(t.createdAt()), time(t.expiresAt()), t.createdBy(), t.expired(now));
    }
  }

  private final JoinTokens tokens;
  private final ApiAccess access;
  private final AuditLog audit;
  private final Clock clock;

  public JoinTokenRoutes(JoinTokens tokens, ApiAccess access, AuditLog audit, Clock clock) {
    this.tokens = tokens;
    this.access = access;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get(
        "/api/v1/join-tokens",
        ctx ->
            json(
                ctx,
                200,
                tokens.list().stream().map(t -> JoinTokenJson.of(t, clock.instant())).toList()));
    routes.post("/api/v1/join-tokens", this::create);
    routes.post("/api/v1/join-tokens/{id}/revoke", this::revoke);
  }

  private void create(Context ctx) {
    JsonNode root;
    try {
      String body = ctx.body();
      root = body.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body);
    } catch (Exception e) {
      throw new ApiException(400, "body: not valid JSON", null);
    }
    if (root == null || !root.isObject()) {
      throw new ApiException(400, "body: expected a JSON object", null);
    }
    Duration ttl = TtlField.read(root, DEFAULT_TTL);
    String actor = actor(ctx);
    JoinTokens.Created c;
    try {
      c = tokens.create(ttl, actor);
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          400,
          TtlField.NAME
              + ": must be 1 to "
              + JoinTokens.MAX_TTL.toSeconds()
              + " ("
              + JoinTokens.MAX_TTL.toDays()
              + " days), got "
              + ttl.toSeconds(),
          TtlField.NAME);
    }
    audit.record(actor, "join-token.create", c.token().id(), "expires=" + c.token().expiresAt());
    JoinTokenJson t = JoinTokenJson.of(c.token(), clock.instant());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", t.id());
    body.put("created_at", t.createdAt());
    body.put("expires_at", t.expiresAt());
    body.put("created_by", t.createdBy());
    body.put("token", c.value());
    ctx.header("Cache-Control", "no-store");
    json(ctx, 201, body);
  }

  private void revoke(Context ctx) {
    String id = ctx.pathParam("id");
    JoinTokens.JoinToken t;
    try {
      t = tokens.revoke(id).orElseThrow(() -> ApiException.notFound("join token " + id));
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage(), "id");
    }
    audit.record(actor(ctx), "join-token.revoke", t.id(), "expires=" + t.expiresAt());
    json(ctx, 200, JoinTokenJson.of(t, clock.instant()));
  }

  private String actor(Context ctx) {
    String c = access.caller(ctx);
    return c == null ? "anonymous" : c;
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }

  private static void json(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }
}
