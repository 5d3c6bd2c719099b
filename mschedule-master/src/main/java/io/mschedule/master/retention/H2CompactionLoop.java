package io.mschedule.master.retention;

import io.mschedule.master.loop.PeriodicLoop;
import io.mschedule.master.store.jdbc.H2Compaction;
import java.time.Duration;

/**
 * Compacts the embedded H2 file every second (H2's own background writer, which would, is off so
 * that every commit is written at once). Not run on PostgreSQL, which reclaims space itself.
 */
public final class H2CompactionLoop extends PeriodicLoop {
  public static final Duration INTERVAL = Duration.ofSeconds(1);

  private final H2Compaction compaction;

  public H2CompactionLoop(H2Compaction compaction) {
    super("h2-compaction", INTERVAL);
    this.compaction = compaction;
  }

  @Override
  public void runOnce() {
    compaction.compact();
  }
}
