package io.mschedule.master.store;

import java.time.Instant;

/** A relay as stored: what it said when it registered, and when it was last heard. */
public record RelayRecord(
    String id,
    String datacenter,
    String address,
    String version,
    long spoolBytes,
    Instant firstSeen,
    Instant lastSeen) {}
