package io.mschedule.master.store;

import java.time.Instant;

/**
 * An API token as stored, without its secret: the secret itself is never kept, only its SHA-256
 * (see {@code security.Tokens.hash}).
 *
 * @param createdBy the name of the token that created it, or {@code system}
 * @param revokedAt null while the token is valid
 * @param expiresAt null for a token that does not expire
 * @param lastUsedAt when it last authenticated a request (to the minute), null if never
 */
public record ApiToken(
    String id,
    String name,
    Role role,
    Instant createdAt,
    String createdBy,
    Instant revokedAt,
    String revokedBy,
    Instant expiresAt,
    Instant lastUsedAt) {

  public boolean revoked() {
    return revokedAt != null;
  }

  /** True when the token has an expiry and {@code now} is at or past it. */
  public boolean expired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
