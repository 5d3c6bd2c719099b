package io.mschedule.master.store;

import java.time.Instant;

/** One row of the audit log; see {@code AuditLog.record}. {@code id} grows with time. */
public record AuditEntry(
    long id, Instant at, String actor, String action, String target, String detail) {}
