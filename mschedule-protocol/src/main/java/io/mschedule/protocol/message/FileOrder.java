package io.mschedule.protocol.message;

import java.util.Objects;

/**
 * One file a {@code task} order puts on the agent's host, fetched from the master by content.
 *
 * @param sha256 the content's SHA-256, 64 lower-case hex characters
 * @param size the content's size in bytes
 * @param dest where it goes: an absolute path for a copy order, else a plain file name in the run's
 *     work directory
 * @param mode permission bits in octal ({@code 0644}), or null for the agent's default
 * @param owner {@code USER} or {@code USER:GROUP}, or null to leave the owner as created
 */
public record FileOrder(String sha256, long size, String dest, String mode, String owner) {
  public FileOrder {
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(dest, "dest");
  }
}
