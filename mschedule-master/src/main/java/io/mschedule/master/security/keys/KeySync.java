package io.mschedule.master.security.keys;

import io.mschedule.master.loop.PeriodicLoop;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a master sharing its database with others: takes up their key decisions every few seconds, so
 * an agent rejected or deleted through any master is refused by all of them.
 */
public final class KeySync extends PeriodicLoop {
  private static final Logger log = LoggerFactory.getLogger(KeySync.class);

  /** How often the keys are read again. */
  public static final Duration EVERY = Duration.ofSeconds(3);

  private final KeyRegistry keys;

  public KeySync(KeyRegistry keys) {
    super("mschedule-key-sync", EVERY);
    this.keys = keys;
  }

  @Override
  public void runOnce() {
    int changed = keys.refresh();
    if (changed > 0) {
      log.info("took up {} key decision(s) made through other masters", changed);
    }
  }
}
