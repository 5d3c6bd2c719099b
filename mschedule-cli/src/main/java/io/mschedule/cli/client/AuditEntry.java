package io.mschedule.cli.client;

import java.time.Instant;

/** One entry of the master's audit log ({@code GET /api/v1/audit}). */
public record AuditEntry(
    long id, Instant at, String actor, String action, String target, String detail) {}
