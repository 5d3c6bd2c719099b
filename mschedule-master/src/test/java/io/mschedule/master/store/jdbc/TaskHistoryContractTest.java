package io.mschedule.master.store.jdbc;

import static io.mschedule.master.store.jdbc.TestData.T0;
import static io.mschedule.master.store.jdbc.TestData.run;
import static io.mschedule.master.store.jdbc.TestData.running;
import static io.mschedule.master.store.jdbc.TestData.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.retention.RetentionLoop;
import io.mschedule.master.store.AuditStore;
import io.mschedule.master.store.TaskQuery;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskOrigin;
import io.mschedule.master.task.TaskState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Task list filters, the dispatch queue count and the retention purge; one subclass per database.
 */
abstract class TaskHistoryContractTest extends StoreContractSupport {
  static final Duration KEEP = Duration.ofDays(30);

  TaskStore store;
  AuditStore audit;
  MovableClock clock;

  @BeforeEach
  void stores() {
    store = db.taskStore();
    audit = SecurityTables.audit(db);
    clock = new MovableClock(T0);
  }

  /**
   * A task created at {@code created} with one run per agent, ended {@code state} at {@code end}.
   */
  Task ended(String id, Instant created, TaskState state, Instant end, String... agents) {
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < agents.length; i++) {
      runs.add(run(id, agents[i], i));
    }
    Task t = task(id, created);
    store.insert(t, runs);
    Task r = t.moveTo(TaskState.RUNNING, null, null);
    assertThat(store.updateTask(r, TaskState.PENDING)).isTrue();
    for (Run run : runs) {
      Run started = running(run);
      assertThat(store.updateRun(started, RunState.WAITING)).isTrue();
      assertThat(
              store.completeRun(
                  started.moveTo(RunState.SUCCEEDED, 0, started.startedAt(), end),
                  RunState.RUNNING,
                  ("out of " + id).getBytes(StandardCharsets.UTF_8)))
          .isTrue();
    }
    Task done = r.moveTo(state, null, end);
    assertThat(store.updateTask(done, TaskState.RUNNING)).isTrue();
    return done;
  }

  /** A task created at {@code created}, RUNNING, with its run on {@code agent} RUNNING. */
  Task runningTask(String id, Instant created, String agent) {
    Task t = task(id, created);
    Run w = run(id, agent, 0);
    store.insert(t, List.of(w, run(id, agent + "-next", 1)));
    Task r = t.moveTo(TaskState.RUNNING, null, null);
    assertThat(store.updateTask(r, TaskState.PENDING)).isTrue();
    assertThat(store.updateRun(running(w), RunState.WAITING)).isTrue();
    return r;
  }

  @Test
  void tasks_are_filtered_by_state_and_creation_time_newest_first() {
    ended("old-ok", T0, TaskState.SUCCEEDED, T0.plusSeconds(5), "a");
    ended("old-failed", T0.plusSeconds(10), TaskState.FAILED, T0.plusSeconds(15), "a");
    ended("new-failed", T0.plusSeconds(100), TaskState.FAILED, T0.plusSeconds(105), "a");
    runningTask("new-running", T0.plusSeconds(200), "a");

    assertThat(store.tasks(new TaskQuery(Set.of(TaskState.FAILED), null, 10)))
        .extracting(Task::id)
        .containsExactly("new-failed", "old-failed");
    assertThat(store.tasks(new TaskQuery(Set.of(), T0.plusSeconds(100), 10)))
        .extracting(Task::id)
        .containsExactly("new-running", "new-failed");
    assertThat(
            store.tasks(
                new TaskQuery(Set.of(TaskState.FAILED, TaskState.RUNNING), T0.plusSeconds(10), 10)))
        .extracting(Task::id)
        .containsExactly("new-running", "new-failed", "old-failed");
    assertThat(store.tasks(new TaskQuery(Set.of(), null, 2)))
        .extracting(Task::id)
        .containsExactly("new-running", "new-failed");
    assertThat(store.tasks(new TaskQuery(Set.of(TaskState.KILLED), null, 10))).isEmpty();
  }

  @Test
  void tasks_are_filtered_by_submitter_target_job_schedule_and_time_range() {
    Task base = task("plain", T0);
    store.insert(base, List.of(run("plain", "a", 0)));
    store.insert(
        withOrigin("by-ci", T0.plusSeconds(10), "ci", List.of("web*", "db_1"), TaskOrigin.NONE),
        List.of(run("by-ci", "a", 0)));
    store.insert(
        withOrigin(
            "nightly-1",
            T0.plusSeconds(20),
            null,
            List.of("role=db"),
            new TaskOrigin(null, null, "nightly", T0.plusSeconds(20), null)),
        List.of(run("nightly-1", "a", 0)));

    assertThat(store.tasks(query(null, null, "ci", null, null, null)))
        .extracting(Task::id)
        .containsExactly("by-ci");
    assertThat(store.tasks(query(null, null, null, "web", null, null)))
        .extracting(Task::id)
        .containsExactly("by-ci");
    // LIKE wildcards in the text match only themselves
    assertThat(store.tasks(query(null, null, null, "db_", null, null)))
        .extracting(Task::id)
        .containsExactly("by-ci");
    assertThat(store.tasks(query(null, null, null, "%", null, null))).isEmpty();
    assertThat(store.tasks(query(null, null, null, null, null, "nightly")))
        .extracting(Task::id)
        .containsExactly("nightly-1");
    assertThat(store.tasks(query(null, null, null, null, "backup", null))).isEmpty();
    assertThat(store.tasks(query(T0.plusSeconds(5), T0.plusSeconds(20), null, null, null, null)))
        .extracting(Task::id)
        .containsExactly("by-ci");
  }

  private static TaskQuery query(
      Instant since, Instant until, String by, String target, String job, String schedule) {
    return new TaskQuery(Set.of(), since, until, by, target, job, schedule, 10);
  }

  private static Task withOrigin(
      String id, Instant created, String by, List<String> targets, TaskOrigin origin) {
    Task t = task(id, created);
    return new Task(
        id,
        t.state(),
        null,
        t.script(),
        targets,
        0,
        0.0,
        -1,
        0,
        created,
        null,
        by,
        null,
        null,
        origin);
  }

  @Test
  void waiting_runs_count_only_runs_of_unfinished_tasks() {
    assertThat(store.waitingRuns()).isZero();
    runningTask("t1", T0, "a"); // one run running, one waiting
    store.insert(task("t2", T0), List.of(run("t2", "a", 0), run("t2", "b", 1)));
    ended("t3", T0, TaskState.SUCCEEDED, T0.plusSeconds(1), "a");

    assertThat(store.waitingRuns()).isEqualTo(3);
  }

  @Test
  void purge_deletes_old_ended_tasks_in_batches_and_never_a_running_one() {
    Instant old = T0.minus(Duration.ofDays(40));
    ended("old-1", old, TaskState.SUCCEEDED, old.plusSeconds(60), "a", "b");
    ended("old-2", old, TaskState.FAILED, old.plusSeconds(70), "a");
    ended("old-3", old, TaskState.KILLED, old.plusSeconds(80), "a");
    ended("recent", T0.minus(Duration.ofDays(2)), TaskState.SUCCEEDED, T0.minusSeconds(60), "a");
    Task longRunning = runningTask("long-running", old, "a");
    audit.append(old, "admin", "task.submit", "old-1", null);
    audit.append(T0.minusSeconds(10), "admin", "task.submit", "recent", null);

    RetentionLoop retention = new RetentionLoop(store, audit, clock, KEEP, 2);
    RetentionLoop.Purged purged = retention.purge();

    assertThat(purged).isEqualTo(new RetentionLoop.Purged(3, 1));
    for (String id : List.of("old-1", "old-2", "old-3")) {
      assertThat(store.findTask(id)).isEmpty();
      assertThat(store.runs(id)).isEmpty();
      assertThat(store.outputs(id)).isEmpty();
    }
    assertThat(store.findTask("recent")).isPresent();
    assertThat(store.outputs("recent")).containsOnlyKeys("a");
    assertThat(store.findTask("long-running")).contains(longRunning);
    assertThat(store.runs("long-running")).hasSize(2);
    assertThat(audit.recent(10)).extracting(e -> e.target()).containsExactly("recent");

    // the long task ends now; 31 days later it is due, with the task that was recent
    Run r = store.findRun("long-running", "a").orElseThrow();
    assertThat(
            store.completeRun(
                r.moveTo(RunState.SUCCEEDED, 0, r.startedAt(), clock.instant()),
                RunState.RUNNING,
                new byte[] {1}))
        .isTrue();
    assertThat(
            store.updateTask(
                longRunning.moveTo(TaskState.SUCCEEDED, null, clock.instant()), TaskState.RUNNING))
        .isTrue();
    clock.advance(Duration.ofDays(29));
    assertThat(retention.purge()).isEqualTo(new RetentionLoop.Purged(0, 0));
    clock.advance(Duration.ofDays(2));
    assertThat(retention.purge()).isEqualTo(new RetentionLoop.Purged(2, 1));
    assertThat(store.tasks(TaskQuery.recent(10))).isEmpty();
  }

  @Test
  void purge_runs_alongside_a_running_task_without_holding_it_up() throws Exception {
    Instant old = T0.minus(Duration.ofDays(60));
    for (int i = 0; i < 150; i++) {
      ended("old-" + i, old, TaskState.SUCCEEDED, old.plusSeconds(i), "a", "b");
    }
    Task live = runningTask("live", T0.minusSeconds(30), "a");
    RetentionLoop retention = new RetentionLoop(store, audit, clock, KEEP, 20);

    CompletableFuture<RetentionLoop.Purged> purge = CompletableFuture.supplyAsync(retention::purge);
    // the running task keeps moving while the purge goes on
    Run w = store.findRun("live", "a-next").orElseThrow();
    assertThat(store.updateRun(running(w), RunState.WAITING)).isTrue();
    for (String agent : List.of("a", "a-next")) {
      Run r = store.findRun("live", agent).orElseThrow();
      assertThat(
              store.completeRun(
                  r.moveTo(RunState.SUCCEEDED, 0, r.startedAt(), T0),
                  RunState.RUNNING,
                  (byte[]) null))
          .isTrue();
    }
    assertThat(store.updateTask(live.moveTo(TaskState.SUCCEEDED, null, T0), TaskState.RUNNING))
        .isTrue();

    assertThat(purge.get(60, TimeUnit.SECONDS).tasks()).isEqualTo(150);
    assertThat(store.tasks(TaskQuery.recent(1000))).extracting(Task::id).containsExactly("live");
    assertThat(store.runs("live")).extracting(Run::state).containsOnly(RunState.SUCCEEDED);
  }

  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
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
}
