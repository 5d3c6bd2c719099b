package io.mschedule.cli.client;

import java.time.Instant;

/**
 * A relay as {@code GET /api/v1/relays} reports it.
 *
 * @param address the endpoint its agents connect to
 * @param state {@code online} while its session with the master is up, else {@code offline}
 * @param agents how many agents are connected through it
 * @param spoolBytes the bytes waiting in its spool when it last said
 */
public record RelayView(
    String id,
    String datacenter,
    String address,
    String state,
    int agents,
    long spoolBytes,
    Instant lastSeen) {}
