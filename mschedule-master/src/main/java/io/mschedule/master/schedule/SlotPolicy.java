package io.mschedule.master.schedule;

import io.mschedule.master.store.ScheduleRecord.Concurrency;
import io.mschedule.master.store.ScheduleRecord.Misfire;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Decides what a schedule does at a moment: nothing yet, fire its newest due slot, or skip it. A
 * pure function of its inputs (no clock, no database), so tests can move the time freely.
 *
 * <p>Missed slots are never enumerated: only the newest slot at or before now is looked at. It is
 * on time when now is at most {@link #ON_TIME} (or the starting deadline, when shorter) after it;
 * otherwise it was missed (the master was down): {@code misfire skip} drops it, {@code misfire
 * once} fires it once as a catch-up if it is within the starting deadline.
 */
public final class SlotPolicy {
  /** How late a slot may be and still count as on time (the loop's pass interval and slack). */
  public static final Duration ON_TIME = Duration.ofSeconds(5);

  /** What to do. */
  public enum Kind {
    /** No slot is due. */
    NOTHING,
    /** Start a task for the slot. */
    FIRE,
    /** Kill the schedule's running task, then start a task for the slot. */
    REPLACE,
    /** Mark the slot handled without a task. */
    SKIP
  }

  /**
   * @param slot the slot handled (null with NOTHING)
   * @param why for SKIP, why; for FIRE, "catch-up" when the slot was missed; otherwise null
   */
  public record Decision(Kind kind, Instant slot, String why) {
    static final Decision NOTHING = new Decision(Kind.NOTHING, null, null);
  }

  private SlotPolicy() {}

  /**
   * @param lastSlot the newest slot already handled (or the schedule's creation time)
   * @param startingDeadline how late a slot may still start; null for no limit
   * @param previousRunning asked only when a slot would fire and concurrency is not ALLOW: does the
   *     schedule's previous task still run
   */
  public static Decision decide(
      CronSlots slots,
      Instant lastSlot,
      Instant now,
      Misfire misfire,
      Duration startingDeadline,
      Concurrency concurrency,
      BooleanSupplier previousRunning) {
    Instant next = slots.next(lastSlot);
    if (next == null || next.isAfter(now)) {
      return Decision.NOTHING;
    }
    Instant latest = slots.latestAtOrBefore(now);
    if (latest == null || latest.isBefore(next)) {
      latest = next;
    }
    Duration late = Duration.between(latest, now);
    Duration onTime =
        startingDeadline != null && startingDeadline.compareTo(ON_TIME) < 0
            ? startingDeadline
            : ON_TIME;
    boolean catchUp = late.compareTo(onTime) > 0;
    if (catchUp) {
      if (misfire == Misfire.SKIP) {
        return new Decision(
            Kind.SKIP, latest, "missed by " + late.toSeconds() + " s (misfire skip)");
      }
      if (startingDeadline != null && late.compareTo(startingDeadline) > 0) {
        return new Decision(
            Kind.SKIP,
            latest,
            "missed by "
                + late.toSeconds()
                + " s, past the starting deadline of "
                + startingDeadline.toSeconds()
                + " s");
      }
    }
    if (concurrency != Concurrency.ALLOW && previousRunning.getAsBoolean()) {
      if (concurrency == Concurrency.FORBID) {
        return new Decision(Kind.SKIP, latest, "the previous task still runs (concurrency forbid)");
      }
      return new Decision(Kind.REPLACE, latest, catchUp ? "catch-up" : null);
    }
    return new Decision(Kind.FIRE, latest, catchUp ? "catch-up" : null);
  }
}
