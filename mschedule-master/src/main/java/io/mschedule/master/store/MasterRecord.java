package io.mschedule.master.store;

import java.time.Instant;

/**
 * One master of the cluster as it registered itself, and the database's time when it was read.
 *
 * @param agentEndpoint where agents reach it ({@code tcp://HOST:PORT})
 * @param apiUrl where its HTTP API answers
 * @param now the database's clock when the row was read (liveness is judged against it)
 */
public record MasterRecord(
    String id,
    String agentEndpoint,
    String apiUrl,
    Instant startedAt,
    Instant lastHeartbeat,
    int agentsConnected,
    int tasksOwned,
    Instant now) {}
