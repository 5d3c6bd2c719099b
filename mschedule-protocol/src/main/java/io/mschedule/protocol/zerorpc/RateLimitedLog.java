package io.mschedule.protocol.zerorpc;

import org.slf4j.Logger;

/** Logs at most a few warnings per second, so a flood of bad frames cannot flood the log. */
final class RateLimitedLog {
  private static final long WINDOW_NANOS = 1_000_000_000L;

  private final Logger log;
  private final int perWindow;
  private long windowStart = System.nanoTime();
  private int count;
  private long suppressed;

  RateLimitedLog(Logger log, int perSecond) {
    this.log = log;
    this.perWindow = perSecond;
  }

  synchronized void warn(String format, Object... args) {
    long now = System.nanoTime();
    if (now - windowStart >= WINDOW_NANOS) {
      if (suppressed > 0) {
        log.warn("{} similar warnings suppressed in the last second", suppressed);
      }
      windowStart = now;
      count = 0;
      suppressed = 0;
    }
    if (count < perWindow) {
      count++;
      log.warn(format, args);
    } else {
      suppressed++;
      log.debug(format, args);
    }
  }
}
