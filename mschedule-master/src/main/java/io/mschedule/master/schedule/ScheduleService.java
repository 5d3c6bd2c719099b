package io.mschedule.master.schedule;

import io.mschedule.master.dispatch.TaskService;
import io.mschedule.master.jobs.JobRef;
import io.mschedule.master.jobs.JobService;
import io.mschedule.master.store.ScheduleRecord;
import io.mschedule.master.store.ScheduleRecord.Concurrency;
import io.mschedule.master.store.ScheduleRecord.Misfire;
import io.mschedule.master.store.ScheduleStore;
import io.mschedule.master.task.BadRequestException;
import io.mschedule.master.task.Parallelism;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskEnv;
import io.mschedule.master.task.TaskOrigin;
import io.mschedule.master.task.TaskRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** Creates, pauses, resumes, deletes and triggers schedules; starts the task of a slot. */
public final class ScheduleService {
  private final ScheduleStore store;
  private final JobService jobs;
  private final TaskService tasks;
  private final Clock clock;

  public ScheduleService(ScheduleStore store, JobService jobs, TaskService tasks, Clock clock) {
    this.store = store;
    this.jobs = jobs;
    this.tasks = tasks;
    this.clock = clock;
  }

  /**
   * Validates and stores a new schedule. Its first slot is the first after now.
   *
   * @throws BadRequestException naming the field at fault
   * @throws Conflict when a schedule of that name exists
   */
  public ScheduleRecord add(ScheduleRequest r, String createdBy) {
    String name = JobRef.checkName(r.name(), "name");
    JobRef ref = JobRef.parse(r.job(), "job");
    try {
      jobs.version(ref);
    } catch (JobService.NotFound e) {
      throw new BadRequestException("job", "job: " + e.getMessage());
    }
    CronSlots slots = CronSlots.of(r.cron(), r.tz());
    if (r.targets() == null || r.targets().isEmpty()) {
      throw new BadRequestException("targets", "targets: at least one target is required");
    }
    if (r.parallel() != null) {
      Parallelism.resolve(r.parallel(), 1); // unset: the master's default-parallel when it fires
    }
    if (r.failRate() != null && !(r.failRate() >= 0 && r.failRate() <= 1)) {
      throw new BadRequestException(
          "fail_rate", "fail_rate: must be between 0 and 1, got " + r.failRate());
    }
    if (r.failCount() != null && r.failCount() < -1) {
      throw new BadRequestException(
          "fail_count", "fail_count: must be -1 (never abort) or >= 0, got " + r.failCount());
    }
    if (r.timeout() != null && r.timeout() < 0) {
      throw new BadRequestException(
          "timeout", "timeout: must be >= 0 seconds (0 = none), got " + r.timeout());
    }
    TaskService.retryPolicy(r.retries(), r.retryDelay()); // the same rules as a task's
    if (r.startingDeadline() != null && r.startingDeadline() < 1) {
      throw new BadRequestException(
          "starting_deadline",
          "starting_deadline: must be at least 1 second, got " + r.startingDeadline());
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    ScheduleRecord s =
        new ScheduleRecord(
            name,
            ref.name(),
            ref.version(),
            slots.expression(),
            slots.zone().getId(),
            r.targets(),
            r.parallel() == null ? null : r.parallel().toString(),
            r.failRate(),
            r.failCount(),
            r.timeout(),
            TaskEnv.check(r.env()),
            choice(Concurrency.class, r.concurrency(), Concurrency.ALLOW, "concurrency"),
            choice(Misfire.class, r.misfire(), Misfire.SKIP, "misfire"),
            r.startingDeadline(),
            false,
            now,
            createdBy,
            now,
            r.retries(),
            r.retryDelay());
    if (!store.create(s)) {
      throw new Conflict("schedule " + name + " already exists");
    }
    return s;
  }

  public List<ScheduleRecord> all() {
    return store.all();
  }

  /**
   * @throws NotFound when there is no such schedule
   */
  public ScheduleRecord get(String name) {
    return store.find(name).orElseThrow(() -> new NotFound(name));
  }

  /** Pausing keeps the schedule; resuming starts again with the first slot after now. */
  public ScheduleRecord setPaused(String name, boolean paused) {
    ScheduleRecord s = get(name);
    Instant last = paused ? s.lastSlot() : clock.instant().truncatedTo(ChronoUnit.MILLIS);
    if (!store.setPaused(name, paused, last)) {
      throw new NotFound(name);
    }
    return s.withPaused(paused, last);
  }

  public void delete(String name) {
    if (!store.delete(name)) {
      throw new NotFound(name);
    }
  }

  /** The next {@code count} slots after now (none while paused). */
  public List<Instant> next(String name, int count) {
    ScheduleRecord s = get(name);
    return CronSlots.of(s.cron(), s.timeZone()).next(clock.instant(), count);
  }

  /** A task now, outside the slots (recorded with the schedule and the trigger time). */
  public Task trigger(String name, String by) {
    ScheduleRecord s = get(name);
    return fire(s, clock.instant().truncatedTo(ChronoUnit.MILLIS), by, by);
  }

  /**
   * Starts the task of {@code slot}, audited as submitted by {@code system}.
   *
   * @throws io.mschedule.master.task.DuplicateSlotException when the slot has its task already
   */
  public Task fire(ScheduleRecord s, Instant slot, String by) {
    return fire(s, slot, by, "system");
  }

  private Task fire(ScheduleRecord s, Instant slot, String by, String actor) {
    String job = s.jobVersion() == null ? s.job() : s.job() + "@" + s.jobVersion();
    TaskRequest req =
        new TaskRequest(
            null,
            s.targets(),
            s.parallel(),
            s.failRate(),
            s.failCount(),
            s.timeoutSeconds(),
            s.env(),
            job,
            new TaskOrigin(null, null, s.name(), slot, null),
            List.of(),
            false,
            s.retries(),
            s.retryDelay());
    return tasks.submit(req, by, actor);
  }

  private static <E extends Enum<E>> E choice(Class<E> type, String value, E dflt, String field) {
    if (value == null) {
      return dflt;
    }
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder names = new StringBuilder();
      for (E c : type.getEnumConstants()) {
        names.append(names.length() == 0 ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
      }
      throw new BadRequestException(
          field, field + ": expected one of " + names + ", got '" + value + "'");
    }
  }

  /** No schedule of that name. */
  public static final class NotFound extends RuntimeException {
    public NotFound(String name) {
      super("schedule " + name + " not found");
    }
  }

  /** A schedule of that name exists. */
  public static final class Conflict extends RuntimeException {
    public Conflict(String message) {
      super(message);
    }
  }
}
