package io.mschedule.master.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.mschedule.master.task.BadRequestException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The slots of a cron expression in a time zone. A pure function of its inputs.
 *
 * <p>The expression is matched against the wall clock of the zone. Where the wall clock jumps
 * forward (a daylight saving gap), a time inside the gap fires once, at the change; where it is
 * repeated (the clock goes back), a time fires once, at its first occurrence. This is done by
 * matching the expression on local date-times (a time line without changes) and mapping each match
 * to an instant.
 */
public final class CronSlots {
  /** How many matches a search walks before it gives up (a repeated hour of seconds is 3600). */
  private static final int MAX_STEPS = 10_000;

  private static final CronParser FIVE_FIELDS =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser SIX_FIELDS =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime execution;

  private CronSlots(String expression, ZoneId zone, ExecutionTime execution) {
    this.expression = expression;
    this.zone = zone;
    this.execution = execution;
  }

  /**
   * @param expression five fields (minute hour day-of-month month day-of-week) or six (seconds
   *     first)
   * @param zone an IANA zone id such as {@code Europe/Berlin}; null or blank for UTC
   * @throws BadRequestException naming {@code cron} or {@code tz}
   */
  public static CronSlots of(String expression, String zone) {
    ZoneId z;
    try {
      z = zone == null || zone.isBlank() ? ZoneOffset.UTC : ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new BadRequestException("tz", "tz: unknown time zone '" + zone + "'");
    }
    if (expression == null || expression.isBlank()) {
      throw new BadRequestException("cron", "cron: an expression is required");
    }
    String expr = expression.trim().replaceAll("\\s+", " ");
    int fields = expr.split(" ").length;
    CronParser parser =
        switch (fields) {
          case 5 -> FIVE_FIELDS;
          case 6 -> SIX_FIELDS;
          default ->
              throw new BadRequestException(
                  "cron",
                  "cron: '"
                      + expr
                      + "' has "
                      + fields
                      + " fields; expected 5 (minute hour day month weekday) or 6 (seconds"
                      + " first)");
        };
    Cron cron;
    try {
      cron = parser.parse(expr).validate();
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("cron", "cron: '" + expr + "' is not valid: " + e.getMessage());
    }
    return new CronSlots(expr, z, ExecutionTime.forCron(cron));
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The first slot strictly after {@code after}, or null when there is none. */
  public Instant next(Instant after) {
    ZonedDateTime cursor = local(after);
    for (int i = 0; i < MAX_STEPS; i++) {
      Optional<ZonedDateTime> n = execution.nextExecution(cursor);
      if (n.isEmpty()) {
        return null;
      }
      Instant slot = instant(n.get().toLocalDateTime());
      if (slot.isAfter(after)) {
        return slot;
      }
      cursor = n.get();
    }
    return null;
  }

  /** The next {@code count} slots after {@code after}, in order. */
  public List<Instant> next(Instant after, int count) {
    List<Instant> out = new ArrayList<>(count);
    Instant t = after;
    while (out.size() < count) {
      t = next(t);
      if (t == null) {
        break;
      }
      out.add(t);
    }
    return out;
  }

  /** The newest slot at or before {@code now}, or null when there is none. */
  public Instant latestAtOrBefore(Instant now) {
    // the last match strictly before the next second: at or before now
    ZonedDateTime cursor = local(now).plusSeconds(1);
    for (int i = 0; i < MAX_STEPS; i++) {
      Optional<ZonedDateTime> p = execution.lastExecution(cursor);
      if (p.isEmpty()) {
        return null;
      }
      Instant slot = instant(p.get().toLocalDateTime());
      if (!slot.isAfter(now)) {
        return slot;
      }
      cursor = p.get();
    }
    return null;
  }

  /** The wall clock of {@code t} in the zone, to the second, on a time line without changes. */
  private ZonedDateTime local(Instant t) {
    return LocalDateTime.ofInstant(t, zone).truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC);
  }

  /** The instant a wall-clock time fires: the change for a gap, the first of a repeat. */
  private Instant instant(LocalDateTime local) {
    var rules = zone.getRules();
    var offsets = rules.getValidOffsets(local);
    if (offsets.isEmpty()) {
      return rules.getTransition(local).getInstant();
    }
    return local.toInstant(offsets.get(0));
  }

  @Override
  public String toString() {
    return expression + " (" + zone + ")";
  }
}
