package io.mschedule.master.security;

import io.mschedule.master.store.ApiToken;
import io.mschedule.master.store.TokenStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records when each API token was last used, writing at most once per {@link #PRECISION} per token
 * rather than once per request. A failed write is logged and does not refuse the request.
 */
final class LastUsed {
  static final Duration PRECISION = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(LastUsed.class);

  private final TokenStore store;

  /** The last time written per token id, so concurrent requests do not write twice. */
  private final Map<String, Instant> written = new ConcurrentHashMap<>();

  LastUsed(TokenStore store) {
    this.store = store;
  }

  /** Notes that {@code token} (as just read from the store) authenticated a request at now. */
  void used(ApiToken token, Instant now) {
    Instant at = now.truncatedTo(ChronoUnit.MILLIS);
    boolean[] due = {false};
    written.compute(
        token.id(),
        (id, mine) -> {
          Instant known = later(mine, token.lastUsedAt());
          if (known != null && at.isBefore(known.plus(PRECISION))) {
            return known;
          }
          due[0] = true;
          return at;
        });
    if (due[0]) {
      try {
        store.touch(token.id(), at);
      } catch (RuntimeException e) {
        log.warn("cannot record the last use of API token {}: {}", token.id(), e.toString());
      }
    }
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }
}
