package io.mschedule.master.task;

import java.time.Instant;

/** A schedule's slot already has its task (another pass or another master created it). */
public final class DuplicateSlotException extends RuntimeException {
  public DuplicateSlotException(String schedule, Instant slot) {
    super("schedule " + schedule + " already has a task for " + slot);
  }
}
