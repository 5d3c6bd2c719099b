package io.mschedule.cli;

import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --retries} and {@code --retry-delay}, shared by run, rerun and schedule add. */
public final class RetryOptions {
  /** The longest first delay the master accepts (delays double up to the same cap). */
  static final Duration MAX_DELAY = Duration.ofMinutes(10);

  @Spec(Spec.Target.MIXEE)
  picocli.CommandLine.Model.CommandSpec mixee;

  @Option(
      names = "--retries",
      paramLabel = "N",
      description =
          "Retry a run that failed, timed out or was lost up to N times on the same host"
              + " (default: 0). Only the last attempt counts towards --fail-count/--fail-rate.")
  Integer retries;

  @Option(
      names = "--retry-delay",
      paramLabel = "SECONDS",
      converter = DurationConverter.class,
      description =
          "Wait before the first retry: 30 (seconds), 30s, 5m; doubles for each further retry,"
              + " less up to a fifth at random, at most 10m (master default: 10 s).")
  Duration retryDelay;

  /** The number of retries, or null when not given; checked. */
  Integer retries() {
    if (retries != null && retries < 0) {
      throw new ParameterException(
          mixee.commandLine(), "--retries must be 0 or more, got " + retries);
    }
    return retries;
  }

  /** The first delay in seconds, or null when not given; checked. */
  Integer retryDelaySeconds() {
    if (retryDelay == null) {
      return null;
    }
    if (retryDelay.compareTo(MAX_DELAY) > 0) {
      throw new ParameterException(
          mixee.commandLine(),
          "--retry-delay must be at most 10m, got " + retryDelay.toSeconds() + " seconds");
    }
    return (int) retryDelay.toSeconds();
  }

  /** Adds {@code retries} and {@code retry_delay} to a request body when given. */
  void putInto(Map<String, Object> body) {
    Integer n = retries();
    Integer d = retryDelaySeconds();
    if (n != null) {
      body.put("retries", n);
    }
    if (d != null) {
      body.put("retry_delay", d);
    }
  }
}
