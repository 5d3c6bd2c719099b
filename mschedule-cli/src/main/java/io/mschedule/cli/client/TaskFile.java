package io.mschedule.cli.client;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A file of a task as the API reports it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskFile(
    String name, long size, String sha256, String dest, String mode, String owner) {}
