package io.mschedule.master.store;

import java.time.Instant;

/** A file uploaded to the master: its content is in the file store under {@code sha256}. */
public record FileRecord(
    String sha256, String name, long size, Instant createdAt, String createdBy) {}
