package io.mschedule.master.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.master.task.BadRequestException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CronSlotsTest {
  private static Instant t(String iso) {
    return Instant.parse(iso);
  }

  @Test
  void five_fields_are_minute_first_and_six_fields_seconds_first() {
    CronSlots minutes = CronSlots.of("*/15 * * * *", "UTC");
    assertThat(minutes.next(t("2026-05-01T10:07:30Z"))).isEqualTo(t("2026-05-01T10:15:00Z"));
    CronSlots seconds = CronSlots.of("*/2 * * * * *", null);
    assertThat(seconds.next(t("2026-05-01T10:07:30.500Z"))).isEqualTo(t("2026-05-01T10:07:32Z"));
    assertThat(seconds.next(t("2026-05-01T10:07:30Z"), 3))
        .containsExactly(
            t("2026-05-01T10:07:32Z"), t("2026-05-01T10:07:34Z"), t("2026-05-01T10:07:36Z"));
  }

  @Test
  void the_latest_slot_is_at_or_before_now() {
    CronSlots hourly = CronSlots.of("0 * * * *", "UTC");
    assertThat(hourly.latestAtOrBefore(t("2026-05-01T10:00:00Z")))
        .isEqualTo(t("2026-05-01T10:00:00Z"));
    assertThat(hourly.latestAtOrBefore(t("2026-05-01T10:59:59Z")))
        .isEqualTo(t("2026-05-01T10:00:00Z"));
  }

  @Test
  void slots_follow_the_wall_clock_of_the_zone() {
    CronSlots daily = CronSlots.of("0 9 * * *", "Europe/Berlin");
    // winter: UTC+1, summer: UTC+2
    assertThat(daily.next(t("2026-01-10T00:00:00Z"))).isEqualTo(t("2026-01-10T08:00:00Z"));
    assertThat(daily.next(t("2026-07-10T00:00:00Z"))).isEqualTo(t("2026-07-10T07:00:00Z"));
  }

  @Test
  void a_time_in_the_spring_gap_fires_once_at_the_change() {
    // 2026-03-29 in Berlin: 02:00 CET becomes 03:00 CEST (01:00 UTC); 02:30 does not exist
    CronSlots daily = CronSlots.of("30 2 * * *", "Europe/Berlin");
    assertThat(daily.next(t("2026-03-28T12:00:00Z"), 3))
        .containsExactly(
            t("2026-03-29T01:00:00Z"), // at the change: 03:00 CEST
            t("2026-03-30T00:30:00Z"), // 02:30 CEST
            t("2026-03-31T00:30:00Z"));
  }

  @Test
  void every_quarter_hour_in_the_spring_gap_fires_once_at_the_change() {
    CronSlots quarter = CronSlots.of("*/15 * * * *", "Europe/Berlin");
    assertThat(quarter.next(t("2026-03-29T00:30:00Z"), 4))
        .containsExactly(
            t("2026-03-29T00:45:00Z"), // 01:45 CET
            t("2026-03-29T01:00:00Z"), // 02:00-02:45 do not exist: once, at the change
            t("2026-03-29T01:15:00Z"), // 03:15 CEST
            t("2026-03-29T01:30:00Z"));
  }

  @Test
  void a_repeated_time_in_the_autumn_fires_once() {
    // 2026-10-25 in Berlin: 03:00 CEST becomes 02:00 CET (01:00 UTC); 02:30 happens twice
    CronSlots daily = CronSlots.of("30 2 * * *", "Europe/Berlin");
    assertThat(daily.next(t("2026-10-24T12:00:00Z"), 2))
        .containsExactly(t("2026-10-25T00:30:00Z"), t("2026-10-26T01:30:00Z"));
    // asked from inside the repeated hour, the second 02:30 is not a slot
    assertThat(daily.next(t("2026-10-25T01:10:00Z"))).isEqualTo(t("2026-10-26T01:30:00Z"));
  }

  @Test
  void every_quarter_hour_through_the_repeated_hour_fires_each_time_once() {
    CronSlots quarter = CronSlots.of("*/15 * * * *", "Europe/Berlin");
    assertThat(quarter.next(t("2026-10-25T00:40:00Z"), 3))
        .containsExactly(
            t("2026-10-25T00:45:00Z"), // 02:45 CEST
            t("2026-10-25T02:00:00Z"), // 03:00 CET: the repeated 02:00-02:45 CET are skipped
            t("2026-10-25T02:15:00Z"));
  }

  @Test
  void bad_expressions_and_zones_are_named() {
    assertThatThrownBy(() -> CronSlots.of("* * *", "UTC"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("3 fields");
    assertThatThrownBy(() -> CronSlots.of("61 * * * *", "UTC"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("cron: '61 * * * *' is not valid");
    assertThatThrownBy(() -> CronSlots.of("* * * * *", "Mars/Olympus"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("unknown time zone 'Mars/Olympus'");
  }
}
