package io.mschedule.cli.client;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A file for a task: uploaded content (by SHA-256) and where it goes.
 *
 * @param dest an absolute path for {@code cp}, a file name in the work directory for {@code run}
 * @param mode octal permission bits ({@code 0644}), or null
 * @param owner {@code USER[:GROUP]}, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileRequest(String sha256, String dest, String mode, String owner) {}
