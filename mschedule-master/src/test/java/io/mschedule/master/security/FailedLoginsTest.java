package io.mschedule.master.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailedLoginsTest {
  private final List<String> rows = new ArrayList<>();
  private final AuditLog audit =
      (actor, action, target, detail) ->
          rows.add(actor + " " + action + " " + target + " " + detail);
  private Instant now = Instant.parse("2026-11-27T00:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  @Test
  void oneRowPerAddressPerMinute() {
    FailedLogins f = new FailedLogins(audit, clock);
    for (int i = 0; i < 1000; i++) {
      f.record("10.0.0.1", "GET /api/v1/agents: no bearer token");
    }
    f.record("10.0.0.2", "GET /api/v1/agents: no bearer token");
    assertThat(rows)
        .containsExactly(
            "anonymous login.fail 10.0.0.1 GET /api/v1/agents: no bearer token",
            "anonymous login.fail 10.0.0.2 GET /api/v1/agents: no bearer token");
    now = now.plus(Duration.ofSeconds(61));
    f.record("10.0.0.1", "x");
    assertThat(rows.get(2))
        .isEqualTo("anonymous login.fail 10.0.0.1 x (+999 earlier refusals not recorded)");
  }

  @Test
  void atMostSixtyRowsAMinuteFromAnyNumberOfAddresses() {
    FailedLogins f = new FailedLogins(audit, clock);
    for (int i = 0; i < 10_000; i++) {
      f.record("10.0." + (i / 250) + "." + (i % 250), "x");
    }
    assertThat(rows).hasSize(FailedLogins.MAX_ROWS_PER_MINUTE);
    now = now.plus(Duration.ofMinutes(1));
    f.record("10.0.0.0", "x"); // recorded a minute ago: due again
    f.record("10.9.9.9", "x");
    assertThat(rows).hasSize(FailedLogins.MAX_ROWS_PER_MINUTE + 2);
  }
}
