package io.mschedule.master.schedule;

import io.mschedule.master.audit.AuditLog;
import io.mschedule.master.dispatch.TaskCoordinator;
import io.mschedule.master.loop.PeriodicLoop;
import io.mschedule.master.store.ScheduleRecord;
import io.mschedule.master.store.ScheduleStore;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.task.BadRequestException;
import io.mschedule.master.task.DuplicateSlotException;
import io.mschedule.master.task.Task;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the tasks of schedules: every pass, each active schedule asks {@link SlotPolicy} what to
 * do now, does it, and records the slot as handled. Several masters may run it on one database: the
 * tasks table takes one task per schedule and slot, a second insert is a no-op.
 */
public final class ScheduleLoop extends PeriodicLoop {
  private static final Logger log = LoggerFactory.getLogger(ScheduleLoop.class);

  private final ScheduleStore schedules;
  private final TaskStore tasks;
  private final ScheduleService service;
  private final TaskCoordinator coordinator;
  private final AuditLog audit;
  private final Clock clock;

  public ScheduleLoop(
      ScheduleStore schedules,
      TaskStore tasks,
      ScheduleService service,
      TaskCoordinator coordinator,
      AuditLog audit,
      Clock clock,
      Duration interval) {
    super("mschedule-schedules", interval);
    this.schedules = schedules;
    this.tasks = tasks;
    this.service = service;
    this.coordinator = coordinator;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public void runOnce() {
    Instant now = clock.instant();
    for (ScheduleRecord s : schedules.all()) {
      if (s.paused()) {
        continue;
      }
      try {
        pass(s, now);
      } catch (RuntimeException e) {
        log.warn("schedule {}: pass failed: {}", s.name(), e.toString());
      }
    }
  }

  private void pass(ScheduleRecord s, Instant now) {
    CronSlots slots = CronSlots.of(s.cron(), s.timeZone());
    Instant last = s.lastSlot() == null ? s.createdAt() : s.lastSlot();
    Duration deadline =
        s.startingDeadlineSeconds() == null
            ? null
            : Duration.ofSeconds(s.startingDeadlineSeconds());
    SlotPolicy.Decision d =
        SlotPolicy.decide(
            slots,
            last,
            now,
            s.misfire(),
            deadline,
            s.concurrency(),
            () -> running(s.name()).isPresent());
    switch (d.kind()) {
      case NOTHING -> {
        return;
      }
      case SKIP -> log.info("schedule {}: slot {} skipped: {}", s.name(), d.slot(), d.why());
      case REPLACE -> {
        running(s.name()).ifPresent(prev -> replace(s, prev));
        start(s, d);
      }
      case FIRE -> start(s, d);
    }
    schedules.advance(s.name(), d.slot());
  }

  private Optional<Task> running(String schedule) {
    return tasks.latestOfSchedule(schedule).filter(t -> !t.state().isFinal());
  }

  private void replace(ScheduleRecord s, Task prev) {
    log.info("schedule {}: killing task {} to replace it", s.name(), prev.id());
    try {
      coordinator.kill(prev.id(), by(s)).get(5, TimeUnit.SECONDS);
      audit.record("system", "task.kill", prev.id(), "replaced by schedule " + s.name());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("schedule {}: kill of task {} failed: {}", s.name(), prev.id(), e.toString());
    }
  }

  private void start(ScheduleRecord s, SlotPolicy.Decision d) {
    try {
      Task t = service.fire(s, d.slot(), by(s)); // audited by the task service, with the task
      log.info(
          "schedule {}: task {} for slot {}{}",
          s.name(),
          t.id(),
          d.slot(),
          d.why() == null ? "" : " (" + d.why() + ")");
    } catch (DuplicateSlotException e) {
      log.debug("schedule {}: slot {} already has its task", s.name(), d.slot());
    } catch (BadRequestException e) {
      log.warn("schedule {}: slot {} not started: {}", s.name(), d.slot(), e.getMessage());
    }
  }

  private static String by(ScheduleRecord s) {
    return "schedule:" + s.name();
  }
}
