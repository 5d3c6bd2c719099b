package io.mschedule.master.agents;

import io.mschedule.master.loop.PeriodicLoop;
import io.mschedule.master.store.AgentStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Writes the agents' last_seen to the database in one batch every few seconds. */
public final class LastSeenFlushLoop extends PeriodicLoop {
  private final AgentRegistry registry;
  private final AgentStore store;

  public LastSeenFlushLoop(AgentRegistry registry, AgentStore store, Duration interval) {
    super("mschedule-last-seen-flush", interval);
    this.registry = registry;
    this.store = store;
  }

  @Override
  public void runOnce() {
    Map<String, Instant> batch = registry.drainLastSeen();
    if (!batch.isEmpty()) {
      store.touch(batch);
    }
  }
}
