package io.mschedule.cli.client;

/** {@code GET /api/v1/whoami}: the calling token's name and role. */
public record WhoAmI(String name, String role) {}
