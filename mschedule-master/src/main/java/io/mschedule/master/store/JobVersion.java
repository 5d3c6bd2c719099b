package io.mschedule.master.store;

import java.time.Instant;

/**
 * One immutable version of a job.
 *
 * @param sha256 the script's SHA-256 (lower-case hex); the script itself is stored once per content
 * @param createdBy who pushed it (token name), or null
 * @param message what the pusher said about it, or null
 */
public record JobVersion(
    String job, int version, String sha256, Instant createdAt, String createdBy, String message) {}
