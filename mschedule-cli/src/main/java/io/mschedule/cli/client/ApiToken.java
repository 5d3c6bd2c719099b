package io.mschedule.cli.client;

import java.time.Instant;

/**
 * An API token as the master lists it.
 *
 * @param role {@code viewer}, {@code operator} or {@code admin}
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
    String token) {}
