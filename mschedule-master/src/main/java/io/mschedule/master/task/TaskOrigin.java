package io.mschedule.master.task;

import java.time.Instant;

/**
 * Where a task came from, beyond who submitted it: the job version it runs, the schedule slot that
 * created it, the task it reruns. Every field may be null.
 *
 * @param job the job's name when the script is a job version
 * @param jobVersion that version's number
 * @param schedule the schedule that created the task
 * @param scheduledFor the slot of that schedule the task is for
 * @param rerunOf the id of the task this one reruns
 */
public record TaskOrigin(
    String job, Integer jobVersion, String schedule, Instant scheduledFor, String rerunOf) {
  /** A plain submission. */
  public static final TaskOrigin NONE = new TaskOrigin(null, null, null, null, null);

  public TaskOrigin {
    if ((job == null) != (jobVersion == null)) {
      throw new IllegalArgumentException("job and jobVersion go together");
    }
    if ((schedule == null) != (scheduledFor == null)) {
      throw new IllegalArgumentException("schedule and scheduledFor go together");
    }
  }

  public static TaskOrigin job(String job, int version) {
    return new TaskOrigin(job, version, null, null, null);
  }

  public TaskOrigin withSlot(String scheduleName, Instant slot) {
    return new TaskOrigin(job, jobVersion, scheduleName, slot, rerunOf);
  }

  public TaskOrigin withRerunOf(String taskId) {
    return new TaskOrigin(job, jobVersion, schedule, scheduledFor, taskId);
  }
}
