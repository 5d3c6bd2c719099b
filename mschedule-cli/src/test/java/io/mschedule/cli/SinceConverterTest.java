package io.mschedule.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class SinceConverterTest {
  final SinceConverter since =
      new SinceConverter(Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC));

  @ParameterizedTest
  @CsvSource({
    "7d, 2026-11-23T12:00:00Z",
    "12H, 2026-11-30T00:00:00Z",
    "30m, 2026-11-30T11:30:00Z",
    "1w, 2026-11-23T12:00:00Z",
    "2026-11-01, 2026-11-01T00:00:00Z",
    "2026-11-01T08:30:00+01:00, 2026-11-01T07:30:00Z"
  })
  void durations_count_back_from_now_and_dates_are_utc(String value, String expected) {
    assertThat(since.convert(value)).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "7", "-7d", "2026-11-31", "2026-11-01 08:00"})
  void anything_else_is_refused_with_the_accepted_forms(String value) {
    assertThatThrownBy(() -> since.convert(value))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("7d")
        .hasMessageContaining("'" + value + "'");
  }
}
