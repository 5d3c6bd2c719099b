package io.mschedule.master.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.master.agents.AgentRegistry;
import io.mschedule.master.agents.TestAgents;
import io.mschedule.master.audit.AuditLog;
import io.mschedule.master.dispatch.RecordingGateway;
import io.mschedule.master.dispatch.TaskCoordinator;
import io.mschedule.master.dispatch.TaskService;
import io.mschedule.master.jobs.JobService;
import io.mschedule.master.live.TaskEvents;
import io.mschedule.master.store.ScheduleRecord;
import io.mschedule.master.store.jdbc.Database;
import io.mschedule.master.store.jdbc.TestDatabase;
import io.mschedule.master.task.BadRequestException;
import io.mschedule.master.task.DuplicateSlotException;
import io.mschedule.master.task.RetryPolicy;
import io.mschedule.master.task.Task;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two schedule loops (two masters) on one real H2 database, with the time set by the test; passes
 * are called directly, no thread.
 */
class ScheduleLoopTest {
  @TempDir Path dir;
  Database db;
  SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00.500Z"));
  ScheduleService schedulesA;
  ScheduleService schedulesB;
  ScheduleLoop loopA;
  ScheduleLoop loopB;

  static final class SettableClock extends Clock {
    volatile Instant now;

    SettableClock(Instant start) {
      now = start;
    }

    void set(String iso) {
      now = Instant.parse(iso);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @BeforeEach
  void up() {
    db = Database.open(TestDatabase.migratedH2(dir, 4));
    JobService jobs = new JobService(db.jobStore(), clock, 1 << 20);
    jobs.push("tick", "echo tick\n", "admin", null);
    schedulesA = master(jobs);
    schedulesB = master(jobs);
    loopA = loop(schedulesA);
    loopB = loop(schedulesB);
  }

  /** One master's task service and schedule service over the shared database. */
  private ScheduleService master(JobService jobs) {
    AgentRegistry registry = new AgentRegistry(db.agentStore(), clock, Duration.ofSeconds(15));
    registry.register(TestAgents.register("a1", "host-1"));
    TaskCoordinator coordinator =
        new TaskCoordinator(
            db.taskStore(),
            registry,
            new RecordingGateway(),
            new TaskEvents(),
            clock,
            Duration.ofSeconds(60));
    TaskService tasks = new TaskService(registry, coordinator, clock, 1 << 20, 100, "5", jobs);
    return new ScheduleService(db.scheduleStore(), jobs, tasks, clock);
  }

  private ScheduleLoop loop(ScheduleService service) {
    return new ScheduleLoop(
        db.scheduleStore(),
        db.taskStore(),
        service,
        null,
        AuditLog.NONE,
        clock,
        Duration.ofSeconds(1));
  }

  @AfterEach
  void down() {
    db.close();
  }

  private ScheduleRecord add(String name, String concurrency) {
    return schedulesA.add(
        new ScheduleRequest(
            name,
            "tick",
            "*/2 * * * * *",
            null,
            List.of("all"),
            null,
            null,
            null,
            null,
            Map.of("N", "1"),
            concurrency,
            null,
            null),
        "admin");
  }

  private List<Task> tasksOf(String schedule) {
    return db.taskStore().recentTasks(100).stream()
        .filter(t -> schedule.equals(t.origin().schedule()))
        .toList();
  }

  @Test
  void a_schedule_with_retries_starts_tasks_that_retry_and_refuses_bad_settings() {
    ScheduleRecord s =
        schedulesA.add(
            new ScheduleRequest(
                "retrying",
                "tick",
                "*/2 * * * * *",
                null,
                List.of("all"),
                null,
                null,
                null,
                null,
                Map.of(),
                null,
                null,
                null,
                2,
                30),
            "admin");
    assertThat(db.scheduleStore().find("retrying").orElseThrow().retries()).isEqualTo(2);
    clock.set("2026-01-01T00:00:02.100Z");
    loopA.runOnce();

    assertThat(tasksOf("retrying"))
        .singleElement()
        .satisfies(t -> assertThat(t.retry()).isEqualTo(new RetryPolicy(2, 30)));
    assertThat(s.retryDelay()).isEqualTo(30);
    assertThatThrownBy(
            () ->
                schedulesA.add(
                    new ScheduleRequest(
                        "bad",
                        "tick",
                        "*/2 * * * * *",
                        null,
                        List.of("all"),
                        null,
                        null,
                        null,
                        null,
                        Map.of(),
                        null,
                        null,
                        null,
                        -1,
                        null),
                    "admin"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("retries:");
  }

  @Test
  void each_slot_gets_one_task_whatever_number_of_masters_pass() {
    add("every2", null);
    clock.set("2026-01-01T00:00:02.100Z");
    loopA.runOnce();
    loopB.runOnce();
    clock.set("2026-01-01T00:00:04.300Z");
    loopB.runOnce();
    loopA.runOnce();

    List<Task> tasks = tasksOf("every2");
    assertThat(tasks)
        .extracting(t -> t.origin().scheduledFor())
        .containsExactlyInAnyOrder(
            Instant.parse("2026-01-01T00:00:02Z"), Instant.parse("2026-01-01T00:00:04Z"));
    Task t = tasks.get(0);
    assertThat(t.origin().job()).isEqualTo("tick");
    assertThat(t.origin().jobVersion()).isEqualTo(1);
    assertThat(t.env()).containsEntry("N", "1");
    assertThat(t.createdBy()).isEqualTo("schedule:every2");

    // two masters that both decided on the same slot: the second insert is a no-op
    ScheduleRecord s = db.scheduleStore().find("every2").orElseThrow();
    Instant slot = Instant.parse("2026-01-01T00:00:06Z");
    schedulesA.fire(s, slot, "schedule:every2");
    assertThatThrownBy(() -> schedulesB.fire(s, slot, "schedule:every2"))
        .isInstanceOf(DuplicateSlotException.class);
    assertThat(tasksOf("every2")).hasSize(3);
  }

  @Test
  void slots_missed_while_down_are_skipped_not_replayed() {
    add("every2", null);
    clock.set("2026-01-01T01:00:00.200Z"); // an hour later: 1800 missed slots
    loopA.runOnce();
    assertThat(tasksOf("every2"))
        .extracting(t -> t.origin().scheduledFor())
        .containsExactly(
            Instant.parse("2026-01-01T01:00:00Z")); // the newest is on time (0.2 s late)

    schedulesA.add(
        new ScheduleRequest(
            "hourly",
            "tick",
            "0 * * * *",
            "UTC",
            List.of("all"),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null),
        "admin");
    clock.set("2026-01-01T02:00:30Z"); // 30 s past the slot: missed, dropped (misfire skip)
    loopA.runOnce();
    assertThat(tasksOf("hourly")).isEmpty();
    assertThat(db.scheduleStore().find("hourly").orElseThrow().lastSlot())
        .isEqualTo(Instant.parse("2026-01-01T02:00:00Z"));
  }

  @Test
  void forbid_skips_while_the_previous_task_is_unfinished_and_paused_schedules_wait() {
    add("slow", "forbid");
    clock.set("2026-01-01T00:00:02.100Z");
    loopA.runOnce();
    clock.set("2026-01-01T00:00:04.100Z");
    loopA.runOnce(); // the first task was never dispatched here: still PENDING
    assertThat(tasksOf("slow")).hasSize(1);

    add("paused", null);
    schedulesA.setPaused("paused", true);
    clock.set("2026-01-01T00:00:06.100Z");
    loopA.runOnce();
    assertThat(tasksOf("paused")).isEmpty();
  }
}
