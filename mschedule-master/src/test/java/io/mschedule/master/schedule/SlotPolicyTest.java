package io.mschedule.master.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.schedule.SlotPolicy.Decision;
import io.mschedule.master.schedule.SlotPolicy.Kind;
import io.mschedule.master.store.ScheduleRecord.Concurrency;
import io.mschedule.master.store.ScheduleRecord.Misfire;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Drives the decisions with a settable clock. */
class SlotPolicyTest {
  private static final CronSlots HOURLY = CronSlots.of("0 * * * *", "UTC");
  private static final Instant CREATED = Instant.parse("2026-05-01T09:30:00Z");

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    Instant now;

    TestClock(Instant now) {
      this.now = now;
    }

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

    void set(String iso) {
      now = Instant.parse(iso);
    }
  }

  private static Decision decide(
      Instant last,
      Clock clock,
      Misfire misfire,
      Duration deadline,
      Concurrency c,
      boolean running) {
    return SlotPolicy.decide(HOURLY, last, clock.instant(), misfire, deadline, c, () -> running);
  }

  @Test
  void nothing_is_due_before_the_first_slot_and_the_slot_fires_on_time() {
    TestClock clock = new TestClock(Instant.parse("2026-05-01T09:59:59Z"));
    assertThat(decide(CREATED, clock, Misfire.SKIP, null, Concurrency.ALLOW, false).kind())
        .isEqualTo(Kind.NOTHING);
    clock.set("2026-05-01T10:00:01Z");
    Decision d = decide(CREATED, clock, Misfire.SKIP, null, Concurrency.ALLOW, false);
    assertThat(d.kind()).isEqualTo(Kind.FIRE);
    assertThat(d.slot()).isEqualTo(Instant.parse("2026-05-01T10:00:00Z"));
    assertThat(d.why()).isNull();
    // once handled, the same slot is not due again
    assertThat(decide(d.slot(), clock, Misfire.SKIP, null, Concurrency.ALLOW, false).kind())
        .isEqualTo(Kind.NOTHING);
  }

  @Test
  void missed_slots_are_never_enumerated_and_skip_drops_the_newest() {
    // the master was down from 09:59 to 13:20: slots 10:00 .. 13:00 were missed
    TestClock clock = new TestClock(Instant.parse("2026-05-01T13:20:00Z"));
    Decision d = decide(CREATED, clock, Misfire.SKIP, null, Concurrency.ALLOW, false);
    assertThat(d.kind()).isEqualTo(Kind.SKIP);
    assertThat(d.slot()).isEqualTo(Instant.parse("2026-05-01T13:00:00Z"));
    assertThat(d.why()).contains("missed by 1200 s");
    assertThat(decide(d.slot(), clock, Misfire.SKIP, null, Concurrency.ALLOW, false).kind())
        .isEqualTo(Kind.NOTHING);
  }

  @Test
  void misfire_once_catches_up_once_within_the_starting_deadline() {
    TestClock clock = new TestClock(Instant.parse("2026-05-01T13:20:00Z"));
    Decision d =
        decide(CREATED, clock, Misfire.ONCE, Duration.ofMinutes(30), Concurrency.ALLOW, false);
    assertThat(d.kind()).isEqualTo(Kind.FIRE);
    assertThat(d.slot()).isEqualTo(Instant.parse("2026-05-01T13:00:00Z"));
    assertThat(d.why()).isEqualTo("catch-up");
    assertThat(
            decide(d.slot(), clock, Misfire.ONCE, Duration.ofMinutes(30), Concurrency.ALLOW, false)
                .kind())
        .isEqualTo(Kind.NOTHING);

    clock.set("2026-05-01T13:40:00Z"); // 40 minutes late: past the deadline
    Decision late =
        decide(CREATED, clock, Misfire.ONCE, Duration.ofMinutes(30), Concurrency.ALLOW, false);
    assertThat(late.kind()).isEqualTo(Kind.SKIP);
    assertThat(late.why()).contains("starting deadline of 1800 s");
  }

  @Test
  void a_short_starting_deadline_shortens_what_counts_as_on_time() {
    TestClock clock = new TestClock(Instant.parse("2026-05-01T10:00:03Z"));
    assertThat(
            decide(CREATED, clock, Misfire.SKIP, Duration.ofSeconds(2), Concurrency.ALLOW, false)
                .kind())
        .isEqualTo(Kind.SKIP);
    assertThat(decide(CREATED, clock, Misfire.SKIP, null, Concurrency.ALLOW, false).kind())
        .isEqualTo(Kind.FIRE);
  }

  @Test
  void concurrency_forbid_skips_and_replace_kills_while_the_previous_task_runs() {
    TestClock clock = new TestClock(Instant.parse("2026-05-01T10:00:01Z"));
    assertThat(decide(CREATED, clock, Misfire.SKIP, null, Concurrency.FORBID, true))
        .extracting(Decision::kind, Decision::why)
        .containsExactly(Kind.SKIP, "the previous task still runs (concurrency forbid)");
    assertThat(decide(CREATED, clock, Misfire.SKIP, null, Concurrency.FORBID, false).kind())
        .isEqualTo(Kind.FIRE);
    assertThat(decide(CREATED, clock, Misfire.SKIP, null, Concurrency.REPLACE, true).kind())
        .isEqualTo(Kind.REPLACE);
  }

  @Test
  void allow_never_asks_whether_the_previous_task_runs() {
    AtomicInteger asked = new AtomicInteger();
    SlotPolicy.decide(
        HOURLY,
        CREATED,
        Instant.parse("2026-05-01T10:00:01Z"),
        Misfire.SKIP,
        null,
        Concurrency.ALLOW,
        () -> asked.incrementAndGet() > 0);
    assertThat(asked).hasValue(0);
  }

  @Test
  void berlin_dst_days_fire_each_daily_slot_once() {
    CronSlots daily = CronSlots.of("30 2 * * *", "Europe/Berlin");
    TestClock clock = new TestClock(Instant.parse("2026-03-29T00:59:59Z"));
    Instant last = Instant.parse("2026-03-28T12:00:00Z");
    int fired = 0;
    // walk the spring day second by second around the change, then the autumn night
    for (int i = 0; i < 2 * 3600; i++) {
      Decision d =
          SlotPolicy.decide(
              daily, last, clock.instant(), Misfire.SKIP, null, Concurrency.ALLOW, () -> false);
      if (d.kind() == Kind.FIRE) {
        fired++;
        assertThat(d.slot()).isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
        last = d.slot();
      }
      clock.now = clock.now.plusSeconds(1);
    }
    assertThat(fired).isEqualTo(1);

    clock.set("2026-10-25T00:00:00Z");
    last = Instant.parse("2026-10-24T12:00:00Z");
    fired = 0;
    for (int i = 0; i < 3 * 3600; i += 10) {
      Decision d =
          SlotPolicy.decide(
              daily, last, clock.instant(), Misfire.SKIP, null, Concurrency.ALLOW, () -> false);
      if (d.kind() == Kind.FIRE) {
        fired++;
        assertThat(d.slot()).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        last = d.slot();
      }
      clock.now = clock.now.plusSeconds(10);
    }
    assertThat(fired).isEqualTo(1);
  }
}
