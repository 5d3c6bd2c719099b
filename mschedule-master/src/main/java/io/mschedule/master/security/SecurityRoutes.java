package io.mschedule.master.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.mschedule.master.api.ApiException;
import io.mschedule.master.api.ApiRoutes;
import io.mschedule.master.api.Json;
import io.mschedule.master.api.TaskQueryParser;
import io.mschedule.master.store.ApiToken;
import io.mschedule.master.store.AuditEntry;
import io.mschedule.master.store.AuditQuery;
import io.mschedule.master.store.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/whoami}, {@code /api/v1/tokens} and {@code /api/v1/audit} (docs/api.md). Who may
 * call them is decided by {@link RoutePermissions} before they run.
 */
final class SecurityRoutes implements ApiRoutes {
  static final int DEFAULT_AUDIT_LIMIT = 100;
  static final int MAX_AUDIT_LIMIT = 1000;

  /** A token as listed: never its secret nor its hash. */
  record TokenJson(
      String id,
      String name,
      String role,
      String createdAt,
      String createdBy,
      String revokedAt,
      String revokedBy,
      String expiresAt,
      String lastUsed) {
    static TokenJson of(ApiToken t) {
      return new TokenJson(
          t.id(),
          t.name(),
          t.role().id(),
          time(t.createdAt()),
          t.createdBy(),
          time(t.revokedAt()),
          t.revokedBy(),
          time(t.expiresAt()),
          time(t.lastUsedAt()));
    }
  }

  record AuditJson(long id, String at, String actor, String action, String target, String detail) {
    static AuditJson of(AuditEntry e) {
      return new AuditJson(e.id(), time(e.at()), e.actor(), e.action(), e.target(), e.detail());
    }
  }

  private final TokenService tokens;
  private final DbAuditLog audit;
  private final Clock clock;

  SecurityRoutes(TokenService tokens, DbAuditLog audit, Clock clock) {
    this.tokens = tokens;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/api/v1/whoami", this::whoami);
    routes.post("/api/v1/tokens", this::create);
    routes.get("/api/v1/tokens", this::list);
    routes.post("/api/v1/tokens/{id}/revoke", this::revoke);
    routes.get("/api/v1/audit", this::audit);
  }

  private void whoami(Context ctx) {
    ApiToken t = caller(ctx);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", t.name());
    body.put("role", t.role().id());
    json(ctx, 200, body);
  }

  private void create(Context ctx) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(ctx.body());
    } catch (Exception e) {
      throw new ApiException(400, "body: not valid JSON", null);
    }
    if (root == null || !root.isObject()) {
      throw new ApiException(400, "body: expected a JSON object", null);
    }
    JsonNode roleNode = root.get("role");
    if (roleNode == null || !roleNode.isTextual()) {
      throw new ApiException(400, "role: required, one of viewer, operator, admin", "role");
    }
    Role role =
        Role.parse(roleNode.asText())
            .orElseThrow(
                () -> new ApiException(400, "role: one of viewer, operator, admin", "role"));
    JsonNode nameNode = root.get("name");
    if (nameNode != null && !nameNode.isNull() && !nameNode.isTextual()) {
      throw new ApiException(400, "name: expected a string", "name");
    }
    String name = nameNode == null || nameNode.isNull() ? null : nameNode.asText();
    Duration ttl = TtlField.read(root, null);
    TokenService.Created c = tokens.create(role, name, ttl, caller(ctx).name());
    TokenJson t = TokenJson.of(c.token());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", t.id());
    body.put("name", t.name());
    body.put("role", t.role());
    body.put("created_at", t.createdAt());
    body.put("created_by", t.createdBy());
    body.put("expires_at", t.expiresAt());
    body.put("token", c.secret());
    ctx.header("Cache-Control", "no-store");
    json(ctx, 201, body);
  }

  private void list(Context ctx) {
    json(ctx, 200, tokens.list().stream().map(TokenJson::of).toList());
  }

  private void revoke(Context ctx) {
    ApiToken t = tokens.revoke(ctx.pathParam("id"), caller(ctx).name());
    json(ctx, 200, TokenJson.of(t));
  }

  private void audit(Context ctx) {
    int limit = DEFAULT_AUDIT_LIMIT;
    String q = ctx.queryParam("limit");
    if (q != null) {
      try {
        limit = Integer.parseInt(q.strip());
      } catch (NumberFormatException e) {
        throw new ApiException(400, "limit: expected a whole number", "limit");
      }
      if (limit < 1 || limit > MAX_AUDIT_LIMIT) {
        throw new ApiException(400, "limit: must be 1-" + MAX_AUDIT_LIMIT, "limit");
      }
    }
    AuditQuery query =
        new AuditQuery(
            TaskQueryParser.text("actor", ctx.queryParam("actor")),
            TaskQueryParser.text("action", ctx.queryParam("action")),
            TaskQueryParser.time("since", ctx.queryParam("since"), clock),
            TaskQueryParser.time("until", ctx.queryParam("until"), clock),
            limit);
    List<AuditJson> out = audit.find(query).stream().map(AuditJson::of).toList();
    json(ctx, 200, out);
  }

  private static ApiToken caller(Context ctx) {
    return TokenAccess.token(ctx)
        .orElseThrow(() -> new ApiException(401, "an API token is required", null));
  }

  private static void json(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
