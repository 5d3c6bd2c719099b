package io.mschedule.master.task;

import java.time.Duration;

/**
 * How a task retries a run that failed, timed out or was lost: up to {@code retries} more attempts
 * on the same agent, the first after {@code delaySeconds}, each following one after twice the
 * previous delay, capped at {@link #MAX_DELAY}, less a random part of up to a fifth (the jitter),
 * so many runs that failed together do not come back together.
 *
 * @param retries attempts after the first, 0 = none
 * @param delaySeconds the delay before the first retry
 */
public record RetryPolicy(int retries, int delaySeconds) {
  /** The longest delay between two attempts. */
  public static final Duration MAX_DELAY = Duration.ofMinutes(10);

  /** The most retries a task may ask for. */
  public static final int MAX_RETRIES = 100;

  /** The delay before the first retry when a task asks for retries without a delay. */
  public static final int DEFAULT_DELAY_SECONDS = 10;

  /** No retries. */
  public static final RetryPolicy NONE = new RetryPolicy(0, 0);

  public RetryPolicy {
    if (retries < 0 || retries > MAX_RETRIES) {
      throw new IllegalArgumentException(
          "retries: must be between 0 and " + MAX_RETRIES + ", got " + retries);
    }
    if (delaySeconds < 0 || delaySeconds > MAX_DELAY.toSeconds()) {
      throw new IllegalArgumentException(
          "retry_delay: must be between 0 and "
              + MAX_DELAY.toSeconds()
              + " seconds, got "
              + delaySeconds);
    }
  }

  /** Whether a run whose attempt {@code attempt} (from 1) ended in failure gets another one. */
  public boolean allowsAnother(int attempt) {
    return attempt <= retries;
  }

  /**
   * How long after attempt {@code failed} (from 1) ended the next one starts.
   *
   * @param random a number in [0, 1): the share of the jitter taken off
   */
  public Duration delayAfter(int failed, double random) {
    long cap = MAX_DELAY.toMillis();
    long delay = delaySeconds * 1000L;
    for (int i = 1; i < failed && delay < cap; i++) {
      delay *= 2;
    }
    delay = Math.min(delay, cap);
    long jitter = (long) (delay / 5.0 * Math.min(Math.max(random, 0), 1));
    return Duration.ofMillis(delay - jitter);
  }
}
