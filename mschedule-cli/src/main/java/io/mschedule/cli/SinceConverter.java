package io.mschedule.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --since}: an ISO date ({@code 2026-11-01}, midnight UTC), an ISO date-time with offset
 * ({@code 2026-11-01T08:00:00Z}), or a duration back from now: {@code 30s}, {@code 15m}, {@code
 * 12h}, {@code 7d}, {@code 2w}.
 */
final class SinceConverter implements ITypeConverter<Instant> {
  private static final Pattern AGO = Pattern.compile("(\\d{1,6})([smhdw])");

  private final Clock clock;

  SinceConverter() {
    this(Clock.systemUTC());
  }

  SinceConverter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Instant convert(String value) {
    String v = value.strip();
    Matcher m = AGO.matcher(v.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
          };
      return clock.instant().minus(d);
    }
    try {
      return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException notDate) {
      // a date-time, then
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "expected an ISO date (2026-11-01), a date-time (2026-11-01T08:00:00Z) or a duration"
              + " such as 7d, 12h, 30m; got '"
              + v
              + "'");
    }
  }
}
