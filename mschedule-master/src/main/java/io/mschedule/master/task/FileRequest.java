package io.mschedule.master.task;

/**
 * A file a submission asks to put on the hosts, before validation.
 *
 * @param sha256 the hash of a file uploaded to the master
 * @param dest an absolute path (copy tasks) or a file name in the run's work directory
 * @param mode octal permission bits, or null
 * @param owner {@code USER[:GROUP]}, or null
 */
public record FileRequest(String sha256, String dest, String mode, String owner) {}
