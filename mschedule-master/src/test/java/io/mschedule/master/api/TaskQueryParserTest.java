package io.mschedule.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.master.store.TaskQuery;
import io.mschedule.master.task.TaskState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TaskQueryParserTest {
  static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void nothing_given_is_the_newest_fifty_of_any_state() {
    assertThat(TaskQueryParser.parse(null, null, null, CLOCK))
        .isEqualTo(new TaskQuery(Set.of(), null, 50));
    assertThat(TaskQueryParser.parse("", " ", "", CLOCK))
        .isEqualTo(new TaskQuery(Set.of(), null, 50));
  }

  @Test
  void states_are_comma_separated_in_any_case() {
    assertThat(TaskQueryParser.parse("failed, KILLED", null, "7", CLOCK))
        .isEqualTo(new TaskQuery(Set.of(TaskState.FAILED, TaskState.KILLED), null, 7));
  }

  @ParameterizedTest
  @CsvSource({
    "7d, 2026-11-23T12:00:00Z",
    "12h, 2026-11-30T00:00:00Z",
    "30m, 2026-11-30T11:30:00Z",
    "45s, 2026-11-30T11:59:15Z",
    "2w, 2026-11-16T12:00:00Z",
    "2026-11-01, 2026-11-01T00:00:00Z",
    "2026-11-01T08:30:00Z, 2026-11-01T08:30:00Z",
    "2026-11-01T08:30:00+02:00, 2026-11-01T06:30:00Z"
  })
  void since_is_a_duration_back_from_now_or_an_iso_date(String since, String expected) {
    assertThat(TaskQueryParser.since(since, CLOCK)).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest
  @CsvSource({
    "state, bogus, , ",
    "state, 'failed,', , ",
    "since, , yesterday, ",
    "since, , 7x, ",
    "since, , 2026-13-01, ",
    "limit, , , 0",
    "limit, , , 1001",
    "limit, , , ten"
  })
  void a_bad_value_is_a_400_naming_its_parameter(
      String field, String state, String since, String limit) {
    assertThatThrownBy(() -> TaskQueryParser.parse(state, since, limit, CLOCK))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.getMessage()).startsWith(field + ":");
            });
  }

  @Test
  void every_filter_is_read_from_its_parameter() {
    Map<String, String> q =
        Map.of(
            "state", "failed",
            "since", "2026-11-01",
            "until", "2026-11-02T00:00:00Z",
            "created_by", " ci ",
            "target", "web*",
            "job", "backup",
            "schedule", "nightly",
            "limit", "20");
    assertThat(TaskQueryParser.parse(q::get, CLOCK))
        .isEqualTo(
            new TaskQuery(
                Set.of(TaskState.FAILED),
                Instant.parse("2026-11-01T00:00:00Z"),
                Instant.parse("2026-11-02T00:00:00Z"),
                "ci",
                "web*",
                "backup",
                "nightly",
                20));
    assertThat(TaskQueryParser.parse(Map.of("created_by", " ")::get, CLOCK))
        .isEqualTo(new TaskQuery(Set.of(), null, 50));
  }

  @Test
  void a_bad_until_or_an_overlong_text_names_its_parameter() {
    assertThatThrownBy(() -> TaskQueryParser.parse(Map.of("until", "soon")::get, CLOCK))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.field()).isEqualTo("until");
              assertThat(e.getMessage()).startsWith("until: expected an ISO date");
            });
    assertThatThrownBy(() -> TaskQueryParser.parse(Map.of("target", "x".repeat(256))::get, CLOCK))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.getMessage()).isEqualTo("target: at most 255 characters"));
  }
}
