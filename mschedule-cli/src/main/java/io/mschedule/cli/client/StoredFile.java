package io.mschedule.cli.client;

/** A file on the master, as {@code /api/v1/files} reports it. */
public record StoredFile(String sha256, String name, long size) {}
