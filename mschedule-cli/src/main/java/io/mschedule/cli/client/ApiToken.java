package io.mschedule.cli.client;

import java.time.Instant;

/**
 * An API token as the master lists it.
 *
 * @param role {@code viewer}, {@code operator} or {@code admin}
 * @param expiresAt null for a token that does not expire
 * @param lastUsed when it last authenticated a request (to the minute), null if never
 * @param token the secret: only in the answer to its creation, else null
 */
public record ApiToken(
    String id,
    String name,
    String role,
    Instant createdAt,
    String createdBy,
    Instant revokedAt,
    String revokedBy,
    Instant expiresAt,
    Instant lastUsed,
    String token) {}
