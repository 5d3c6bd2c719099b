package io.mschedule.master.security;

import io.mschedule.master.api.ApiException;
import io.mschedule.master.audit.AuditLog;
import io.mschedule.master.store.ApiToken;
import io.mschedule.master.store.Role;
import io.mschedule.master.store.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Creates, checks and revokes API tokens. Every check reads the store, so a revocation holds for
 * the very next request. Secrets are returned once, by {@link #create}, and never kept.
 */
public final class TokenService {
  /** Token names: what the audit log shows as the actor. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");

  /** The actor of what the master does by itself, such as creating the first admin token. */
  public static final String SYSTEM = "system";

  /** The longest a token may be valid for: ten years. */
  public static final Duration MAX_TTL = Duration.ofDays(3650);

  /** The actor of a request without a valid token. */
  public static final String ANONYMOUS = "anonymous";

  /** A new token and its secret, which is shown to its creator once. */
  public record Created(ApiToken token, String secret) {}

  private final TokenStore store;
  private final AuditLog audit;
  private final Clock clock;
  private final LastUsed lastUsed;

  public TokenService(TokenStore store, AuditLog audit, Clock clock) {
    this.store = store;
    this.audit = audit;
    this.clock = clock;
    this.lastUsed = new LastUsed(store);
  }

  /** What {@link #check} found for a presented secret. */
  public sealed interface Check {
    /** A valid token. */
    record Valid(ApiToken token) implements Check {}

    /** A token that was valid until {@code token.expiresAt()}. */
    record Expired(ApiToken token) implements Check {}

    /** Malformed, unknown or revoked. */
    record Invalid() implements Check {}
  }

  /** Creates a token that does not expire. */
  public Created create(Role role, String name, String actor) {
    return create(role, name, null, actor);
  }

  /**
   * Creates a token.
   *
   * @param name null or blank for a generated one ({@code ROLE-xxxxxx})
   * @param ttl how long it is valid; null for ever
   * @param actor who creates it, for the audit log
   * @throws ApiException 400 for a bad name or ttl, 409 when a valid token already has the name
   */
  public Created create(Role role, String name, Duration ttl, String actor) {
    if (ttl != null && (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0)) {
      throw new ApiException(
          400,
          "ttl_seconds: must be 1 to "
              + MAX_TTL.toSeconds()
              + " (3650 days), got "
              + ttl.toSeconds(),
          "ttl_seconds");
    }
    String id = Tokens.newId();
    String n = name == null || name.isBlank() ? role.id() + "-" + id.substring(0, 6) : name.strip();
    if (!NAME.matcher(n).matches()) {
      throw new ApiException(
          400, "name: 1-100 letters, digits and . _ @ -, starting with a letter or digit", "name");
    }
    if (n.equals(SYSTEM) || n.equals(ANONYMOUS)) {
      throw new ApiException(400, "name: '" + n + "' is reserved", "name");
    }
    if (activeNamed(n).isPresent()) {
      throw new ApiException(409, "a valid token named '" + n + "' exists already", "name");
    }
    String secret = Tokens.newSecret();
    Instant now = now();
    Instant expires = ttl == null ? null : now.plus(ttl);
    ApiToken t = new ApiToken(id, n, role, now, actor, null, null, expires, null);
    store.insert(t, Tokens.hash(secret));
    audit.record(
        actor,
        "token.create",
        id,
        "name=" + n + " role=" + role.id() + (expires == null ? "" : " expires=" + expires));
    return new Created(t, secret);
  }

  /**
   * Checks a presented secret. A valid token's last use is recorded (at most once a minute per
   * token).
   */
  public Check check(String secret) {
    if (!Tokens.wellFormed(secret)) {
      return new Check.Invalid();
    }
    ApiToken t = store.findByHash(Tokens.hash(secret)).orElse(null);
    if (t == null || t.revoked()) {
      return new Check.Invalid();
    }
    Instant now = clock.instant();
    if (t.expired(now)) {
      return new Check.Expired(t);
    }
    lastUsed.used(t, now);
    return new Check.Valid(t);
  }

  /** The valid (not revoked, not expired) token with this secret. */
  public Optional<ApiToken> authenticate(String secret) {
    return check(secret) instanceof Check.Valid v ? Optional.of(v.token()) : Optional.empty();
  }

  /** Every token, revoked or not, oldest first. */
  public List<ApiToken> list() {
    return store.all();
  }

  /**
   * Revokes a token; it is refused from the next request on.
   *
   * @throws ApiException 404 for an unknown id, 409 when it is already revoked or is the last valid
   *     admin token (without one, nobody could manage tokens or keys any more)
   */
  public synchronized ApiToken revoke(String id, String actor) {
    ApiToken t = store.find(id).orElseThrow(() -> ApiException.notFound("token " + id));
    if (t.revoked()) {
      throw new ApiException(409, "token " + id + " is already revoked", null);
    }
    if (t.role() == Role.ADMIN && !t.expired(clock.instant()) && countActive(Role.ADMIN) <= 1) {
      throw new ApiException(
          409,
          "token "
              + id
              + " is the last valid admin token; create another admin token first"
              + " (mschedule token create --role admin)",
          null);
    }
    if (!store.revoke(id, now(), actor)) {
      throw new ApiException(409, "token " + id + " is already revoked", null);
    }
    audit.record(actor, "token.revoke", id, "name=" + t.name() + " role=" + t.role().id());
    return store.find(id).orElseThrow();
  }

  /** The number of valid (neither revoked nor expired) tokens with this role. */
  public int countActive(Role role) {
    return store.countActive(role, clock.instant());
  }

  Optional<ApiToken> activeNamed(String name) {
    Instant now = clock.instant();
    return store.all().stream()
        .filter(t -> !t.revoked() && !t.expired(now) && t.name().equals(name))
        .findFirst();
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
