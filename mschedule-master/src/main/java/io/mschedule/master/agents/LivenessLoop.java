package io.mschedule.master.agents;

import io.mschedule.master.loop.PeriodicLoop;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Marks silent agents offline, once a second. */
public final class LivenessLoop extends PeriodicLoop {
  private static final Logger log = LoggerFactory.getLogger(LivenessLoop.class);
  private final AgentRegistry registry;

  public LivenessLoop(AgentRegistry registry) {
    super("mschedule-liveness", Duration.ofSeconds(1));
    this.registry = registry;
  }

  @Override
  public void runOnce() {
    List<String> offline = registry.sweep();
    if (!offline.isEmpty()) {
      log.info("{} agent(s) went offline: {}", offline.size(), offline.size() <= 10 ? offline : "");
    }
  }
}
