package io.mschedule.master.store;

import java.time.Instant;
import java.util.List;

/** The relays that ever registered (table {@code relays}). */
public interface RelayStore {
  /** Inserts or updates the relay; keeps its first {@code firstSeen}. */
  void save(RelayRecord relay);

  /** Moves {@code last_seen} (and the spool size it reported) forward. */
  void seen(String id, long spoolBytes, Instant lastSeen);

  /** Every relay, by id. */
  List<RelayRecord> all();
}
