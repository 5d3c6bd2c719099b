package io.mschedule.master.security;

import io.javalin.config.JavalinConfig;
import io.mschedule.master.api.ApiAccess;
import io.mschedule.master.api.ApiRoutes;
import io.mschedule.master.audit.AuditLog;
import io.mschedule.master.config.MasterConfig;
import io.mschedule.master.store.AuditStore;
import io.mschedule.master.store.TokenStore;
import io.mschedule.master.store.jdbc.Database;
import io.mschedule.master.store.jdbc.SecurityTables;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * The HTTP API's security, wired: tokens and roles ({@link TokenAccess}), the audit log, the rate
 * limit, the first admin token, the token and audit routes, and TLS. See docs/security.md.
 */
public final class ApiSecurity {
  private final TokenService tokens;
  private final DbAuditLog audit;
  private final TokenAccess access;
  private final SecurityRoutes routes;
  private final Consumer<JavalinConfig> server;
  private final Runnable adminBootstrap;

  private ApiSecurity(
      TokenService tokens,
      DbAuditLog audit,
      TokenAccess access,
      SecurityRoutes routes,
      Consumer<JavalinConfig> server,
      Runnable adminBootstrap) {
    this.tokens = tokens;
    this.audit = audit;
    this.access = access;
    this.routes = routes;
    this.server = server;
    this.adminBootstrap = adminBootstrap;
  }

  /**
   * Sets up API security on the master's database. The first admin token is created by {@link
   * #bootstrapAdmin()}, once the master has started.
   */
  public static ApiSecurity open(Database db, MasterConfig config, Clock clock) {
    return open(SecurityTables.tokens(db), SecurityTables.audit(db), config, clock, System.out);
  }

  static ApiSecurity open(
      TokenStore tokenStore,
      AuditStore auditStore,
      MasterConfig config,
      Clock clock,
      PrintStream out) {
    Consumer<JavalinConfig> server =
        config.tlsCert() == null
            ? c -> {}
            : PemTls.connector(
                config.httpHost(), config.httpPort(), config.tlsCert(), config.tlsKey());
    DbAuditLog audit = new DbAuditLog(auditStore, clock);
    TokenService tokens = new TokenService(tokenStore, audit, clock);
    TokenAccess access =
        new TokenAccess(
            tokens,
            RateLimiter.perSecond(config.apiRateLimit(), clock),
            new FailedLogins(audit, clock),
            new AuthFailureThrottle(clock));
    return new ApiSecurity(
        tokens,
        audit,
        access,
        new SecurityRoutes(tokens, audit, clock),
        server,
        () -> AdminBootstrap.run(tokens, config.dataDir(), out));
  }

  /**
   * Creates the first admin token when there is no valid one (printed on {@code System.out},
   * written to {@code <data-dir>/admin.token}). Called once the master listens, so a master that
   * fails to start leaves no token behind.
   */
  public void bootstrapAdmin() {
    adminBootstrap.run();
  }

  /** Checks every {@code /api/*} request. */
  public ApiAccess access() {
    return access;
  }

  /** The audit log, for everyone who records into it. */
  public AuditLog audit() {
    return audit;
  }

  /** {@code whoami}, {@code tokens} and {@code audit}. */
  public List<ApiRoutes> routes() {
    return List.of(routes);
  }

  /** Server settings for the API server: an HTTPS connector when TLS is configured. */
  public Consumer<JavalinConfig> server() {
    return server;
  }

  public TokenService tokens() {
    return tokens;
  }
}
