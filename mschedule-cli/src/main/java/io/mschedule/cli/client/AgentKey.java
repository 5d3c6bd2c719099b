package io.mschedule.cli.client;

/** An agent's key as {@code GET /api/v1/keys} lists it; state is accepted, pending or rejected. */
public record AgentKey(
    String agentId,
    String publicKey,
    String state,
    String firstSeen,
    String decidedAt,
    String decidedBy) {}
