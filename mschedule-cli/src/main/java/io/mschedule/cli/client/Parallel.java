package io.mschedule.cli.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How many runs of a task may be in flight at once: a count ({@code 0} = all at once) or a
 * percentage of the targets (1%–100%, rounded up by the master). Sent as an int or as {@code "N%"}.
 */
public record Parallel(int value, boolean percent) {

  public Parallel {
    if (percent ? value < 1 || value > 100 : value < 0) {
      throw new IllegalArgumentException(
          percent
              ? "a percentage must be between 1% and 100%, got " + value + "%"
              : "parallel must be >= 0, got " + value);
    }
  }

  /** At most {@code n} runs at once; 0 = all at once. */
  public static Parallel of(int n) {
    return new Parallel(n, false);
  }

  /** At most {@code pct} percent of the targets at once. */
  public static Parallel percent(int pct) {
    return new Parallel(pct, true);
  }

  /**
   * Parses {@code N} or {@code N%}.
   *
   * @throws IllegalArgumentException when the text is neither
   */
  public static Parallel parse(String text) {
    String t = text == null ? "" : text.strip();
    boolean pct = t.endsWith("%");
    String digits = pct ? t.substring(0, t.length() - 1).strip() : t;
    int n;
    try {
      n = Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "expected a number >= 0 or a percentage like 50%, got '" + text + "'");
    }
    return new Parallel(n, pct);
  }

  @JsonCreator
  static Parallel fromJson(Object json) {
    if (json instanceof Number n) {
      return of(n.intValue());
    }
    return parse(String.valueOf(json));
  }

  /** The JSON form: an Integer, or a String {@code "N%"}. */
  @JsonValue
  public Object toJson() {
    return percent ? value + "%" : (Object) value;
  }

  @Override
  public String toString() {
    return percent ? value + "%" : Integer.toString(value);
  }
}
