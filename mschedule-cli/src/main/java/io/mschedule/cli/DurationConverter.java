package io.mschedule.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as operators type them: {@code 30} (seconds), {@code 30s}, {@code 5m}, {@code 1h},
 * {@code 7d}. Negative values are refused; whether 0 is allowed is the option's business.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhd]?)");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /**
   * Parses the value of {@code option}, which must be a positive duration; a bad one is a usage
   * error naming the option.
   */
  public static Duration positive(CommandLine commandLine, String option, String text) {
    String problem;
    try {
      Duration d = parse(text);
      if (!d.isZero()) {
        return d;
      }
      problem = "must be positive, got '" + text + "'";
    } catch (TypeConversionException e) {
      problem = e.getMessage();
    }
    throw new ParameterException(commandLine, option + ": " + problem);
  }

  /** Parses a duration; throws {@link TypeConversionException} naming the expected form. */
  public static Duration parse(String value) {
    String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new TypeConversionException(
          "expected a duration like 30 (seconds), 30s, 5m, 1h or 7d, got '" + value + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "", "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
