package io.mschedule.master.api;

import io.mschedule.master.store.TaskQuery;
import io.mschedule.master.task.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The filters of {@code GET /api/v1/tasks}: {@code state} (one or more task states, comma
 * separated), {@code since} and {@code until} (an ISO date or date-time, or a duration back from
 * now such as {@code 7d}, {@code 12h}, {@code 30m}), {@code created_by}, {@code target}, {@code
 * job}, {@code schedule} and {@code limit}. A bad value is an {@link ApiException} (400) naming the
 * parameter.
 */
public final class TaskQueryParser {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 1000;

  private static final Pattern AGO = Pattern.compile("(\\d{1,6})([smhdw])");

  private TaskQueryParser() {}

  public static TaskQuery parse(String state, String since, String limit, Clock clock) {
    return parse(Map.of("state", nn(state), "since", nn(since), "limit", nn(limit))::get, clock);
  }

  /** Every filter, read with {@code param} (a query parameter's value, or null when absent). */
  public static TaskQuery parse(Function<String, String> param, Clock clock) {
    return new TaskQuery(
        states(param.apply("state")),
        time("since", param.apply("since"), clock),
        time("until", param.apply("until"), clock),
        text("created_by", param.apply("created_by")),
        text("target", param.apply("target")),
        text("job", param.apply("job")),
        text("schedule", param.apply("schedule")),
        limit(param.apply("limit")));
  }

  private static String nn(String s) {
    return s == null ? "" : s;
  }

  /** A text filter: null when empty; at most 255 characters. */
  public static String text(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    if (v.length() > 255) {
      throw new ApiException(400, name + ": at most 255 characters", name);
    }
    return v;
  }

  static Set<TaskState> states(String value) {
    if (value == null || value.isBlank()) {
      return Set.of();
    }
    Set<TaskState> out = EnumSet.noneOf(TaskState.class);
    for (String s : value.split(",", -1)) {
      try {
        out.add(TaskState.valueOf(s.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new ApiException(
            400,
            "state: unknown task state '"
                + s.strip()
                + "' (expected one or more of "
                + String.join(", ", names())
                + ")",
            "state");
      }
    }
    return out;
  }

  private static String[] names() {
    TaskState[] all = TaskState.values();
    String[] out = new String[all.length];
    for (int i = 0; i < all.length; i++) {
      out[i] = all[i].name().toLowerCase(Locale.ROOT);
    }
    return out;
  }

  /** Null when {@code value} is empty. A date alone is midnight UTC. */
  public static Instant since(String value, Clock clock) {
    return time("since", value, clock);
  }

  /**
   * A time parameter ({@code name} for the error): an ISO date (midnight UTC), an ISO date-time
   * with offset, or a duration back from now; null when {@code value} is empty.
   */
  public static Instant time(String name, String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return null;
    }
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
      // try a date-time
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw new ApiException(
          400,
          name
              + ": expected an ISO date (2026-11-01), date-time (2026-11-01T08:00:00Z) or a"
              + " duration such as 7d, 12h, 30m; got '"
              + v
              + "'",
          name);
    }
  }

  static int limit(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_LIMIT;
    }
    int limit;
    try {
      limit = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new ApiException(400, "limit: expected a whole number", "limit");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ApiException(400, "limit: must be 1-" + MAX_LIMIT, "limit");
    }
    return limit;
  }
}
