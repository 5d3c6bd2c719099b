package io.mschedule.master.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Schedules, by name. */
public interface ScheduleStore {
  /** Stores a new schedule; false when one of that name exists. */
  boolean create(ScheduleRecord schedule);

  Optional<ScheduleRecord> find(String name);

  /** Every schedule, by name. */
  List<ScheduleRecord> all();

  /** Pauses or resumes; {@code lastSlot} becomes the newest handled slot. False if none. */
  boolean setPaused(String name, boolean paused, Instant lastSlot);

  /** Records that every slot up to {@code slot} is handled (never moves back). */
  void advance(String name, Instant slot);

  /** False when there was no such schedule. */
  boolean delete(String name);
}
