package io.mschedule.master.security;

import io.javalin.http.Context;
import io.mschedule.master.api.ApiAccess;
import io.mschedule.master.api.ApiException;
import io.mschedule.master.store.ApiToken;
import io.mschedule.master.store.Role;
import java.util.Optional;

/**
 * API access by bearer token: 401 without a valid token (recorded as a failed login), 429 when the
 * token is over its rate, 403 when its role may not make the request ({@link RoutePermissions}).
 */
public final class TokenAccess implements ApiAccess {
  private static final String TOKEN_ATTRIBUTE = "mschedule.apiToken";
  private static final String HOW = " (send Authorization: Bearer TOKEN; see docs/security.md)";

  private final TokenService tokens;
  private final RateLimiter rateLimiter;
  private final FailedLogins failedLogins;
  private final AuthFailureThrottle throttle;

  TokenAccess(
      TokenService tokens,
      RateLimiter rateLimiter,
      FailedLogins failedLogins,
      AuthFailureThrottle throttle) {
    this.tokens = tokens;
    this.rateLimiter = rateLimiter;
    this.failedLogins = failedLogins;
    this.throttle = throttle;
  }

  @Override
  public void check(Context ctx) {
    String method = ctx.method().name();
    String path = ctx.req().getRequestURI();
    String address = ctx.req().getRemoteAddr();
    if (throttled(address)) {
      ctx.header("Retry-After", "1");
      throw new ApiException(
          429,
          "too many failed authentications from "
              + address
              + " (at most "
              + AuthFailureThrottle.MAX_PER_SECOND
              + " a second); retry later",
          null);
    }
    String secret = bearer(ctx.header("Authorization"));
    if (secret == null) {
      throw refuse(ctx, method, path, "no bearer token", "an API token is required" + HOW);
    }
    TokenService.Check checked = tokens.check(secret);
    if (checked instanceof TokenService.Check.Expired e) {
      throw refuse(
          ctx,
          method,
          path,
          "token '" + e.token().name() + "' expired",
          "API token '"
              + e.token().name()
              + "' expired at "
              + e.token().expiresAt()
              + "; ask an admin for a new one (mschedule token create --role ROLE [--ttl 30d]),"
              + " then save it with mschedule login");
    }
    if (!(checked instanceof TokenService.Check.Valid valid)) {
      throw refuse(
          ctx, method, path, "unknown or revoked token", "invalid or revoked API token" + HOW);
    }
    ApiToken token = valid.token();
    if (!rateLimiter.tryAcquire(token.id())) {
      ctx.header("Retry-After", "1");
      throw new ApiException(
          429,
          "too many requests: token '"
              + token.name()
              + "' may make "
              + rateLimiter.rate()
              + " requests per second",
          null);
    }
    Role needed = RoutePermissions.required(method, path);
    if (!token.role().includes(needed)) {
      throw new ApiException(
          403,
          method
              + " "
              + path
              + " needs the "
              + needed.id()
              + " role; token '"
              + token.name()
              + "' has the "
              + token.role().id()
              + " role",
          null);
    }
    ctx.attribute(TOKEN_ATTRIBUTE, token);
  }

  private boolean throttled(String address) {
    return throttle.throttled(address == null ? "unknown" : address);
  }

  @Override
  public String callerKey(Context ctx) {
    return token(ctx).map(ApiToken::id).orElse("anonymous");
  }

  @Override
  public String caller(Context ctx) {
    return token(ctx).map(ApiToken::name).orElse(null);
  }

  /** The token the request was authorized with (after {@link #check}). */
  public static Optional<ApiToken> token(Context ctx) {
    return Optional.ofNullable(ctx.attribute(TOKEN_ATTRIBUTE));
  }

  private ApiException refuse(Context ctx, String method, String path, String why, String message) {
    String address = ctx.req().getRemoteAddr();
    throttle.failed(address == null ? "unknown" : address);
    failedLogins.record(address, method + " " + clip(path) + ": " + why);
    ctx.header("WWW-Authenticate", "Bearer realm=\"mschedule\"");
    return new ApiException(401, message, null);
  }

  /** The token of an {@code Authorization: Bearer TOKEN} header, or null. */
  static String bearer(String header) {
    if (header == null) {
      return null;
    }
    String h = header.strip();
    if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String t = h.substring(7).strip();
    return t.isEmpty() ? null : t;
  }

  private static String clip(String path) {
    return path.length() <= 200 ? path : path.substring(0, 200) + "…";
  }
}
