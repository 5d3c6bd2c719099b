package io.mschedule.master.store;

import java.time.Instant;

/**
 * An API token as stored, without its secret: the secret itself is never kept, only its SHA-256
 * (see {@code security.Tokens.hash}).
 *
 * @param createdBy the name of the token that created it, or {@code system}
 * @param revokedAt null while the token is valid
 */
public record ApiToken(
    String id,
    String name,
    Role role,
    Instant createdAt,
    String createdBy,
    Instant revokedAt,
    String revokedBy) {

  public boolean revoked() {
    return revokedAt != null;
  }
}
