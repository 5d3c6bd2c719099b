package io.mschedule.master.task;

/**
 * A file a task puts on its hosts, as the task records it.
 *
 * @param sha256 the content's SHA-256 (lower-case hex), its key in the master's file store
 * @param name the name it was uploaded under
 * @param size its size in bytes
 * @param dest an absolute path for a copy task, else a file name in the run's work directory
 * @param mode permission bits in octal ({@code 0644}), or null for the agent's default
 * @param owner {@code USER} or {@code USER:GROUP}, or null
 */
public record TaskFile(
    String sha256, String name, long size, String dest, String mode, String owner) {}
