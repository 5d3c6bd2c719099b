package io.mschedule.master.store.jdbc;

import static io.mschedule.master.store.jdbc.TestData.run;
import static io.mschedule.master.store.jdbc.TestData.running;
import static io.mschedule.master.store.jdbc.TestData.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.master.store.Lease;
import io.mschedule.master.store.LeaseLostException;
import io.mschedule.master.store.LeaseStore;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.store.TaskStore.TaskChange;
import io.mschedule.master.store.TaskStore.TaskStart;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.TaskState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Task leases between masters, on the database's clock. */
abstract class LeaseStoreContractTest extends StoreContractSupport {
  private static final Duration LONG = Duration.ofMinutes(5);

  /** A lease that expires at once (its expiry is the database's now). */
  private static final Duration EXPIRED = Duration.ZERO;

  private LeaseStore leases;
  private TaskStore tasks;

  @BeforeEach
  void stores() {
    leases = db.leaseStore();
    tasks = db.taskStore();
    tasks.insert(task("t1"), List.of(run("t1", "a1", 0)));
  }

  @Test
  void the_first_master_to_claim_a_task_holds_it_and_others_are_refused() {
    assertThat(leases.claim("t1", "m1", LONG)).contains(new Lease("t1", "m1", 1));
    assertThat(leases.claim("t1", "m2", LONG)).isEmpty();
    assertThat(leases.claim("t1", "m1", LONG)).contains(new Lease("t1", "m1", 1));
    assertThat(leases.owned()).isEqualTo(Map.of("m1", 1));
    assertThat(leases.unowned(10)).isEmpty();
  }

  @Test
  void an_expired_lease_is_taken_over_with_the_next_epoch() {
    leases.claim("t1", "m1", EXPIRED);
    assertThat(leases.unowned(10)).containsExactly("t1");
    assertThat(leases.claim("t1", "m2", LONG)).contains(new Lease("t1", "m2", 2));
    assertThat(leases.claim("t1", "m1", LONG)).isEmpty();
  }

  @Test
  void renewing_keeps_live_leases_and_reports_lost_ones_missing() {
    tasks.insert(task("t2"), List.of());
    leases.claim("t1", "m1", LONG);
    leases.claim("t2", "m1", EXPIRED);
    leases.claim("t2", "m2", LONG); // taken over
    assertThat(leases.renew("m1", LONG)).containsExactly(new Lease("t1", "m1", 1));
    assertThat(leases.renew("m2", LONG)).containsExactly(new Lease("t2", "m2", 2));
  }

  @Test
  void a_released_lease_is_taken_over_at_once() {
    leases.claim("t1", "m1", LONG);
    leases.release("m1");
    assertThat(leases.unowned(10)).containsExactly("t1");
    assertThat(leases.claim("t1", "m2", LONG)).contains(new Lease("t1", "m2", 2));
  }

  @Test
  void ended_tasks_cannot_be_claimed_and_do_not_count() {
    leases.claim("t1", "m1", LONG);
    var t = tasks.findTask("t1").orElseThrow();
    tasks.updateTask(t.moveTo(TaskState.SUCCEEDED, null, TestData.at(5)), TaskState.PENDING);
    assertThat(leases.owned()).isEmpty();
    assertThat(leases.renew("m1", LONG)).isEmpty();
    tasks.insert(task("t3"), List.of());
    tasks.updateTask(
        tasks.findTask("t3").orElseThrow().moveTo(TaskState.FAILED, null, TestData.at(5)),
        TaskState.PENDING);
    assertThat(leases.claim("t3", "m1", LONG)).isEmpty();
    assertThat(leases.claim("nope", "m1", LONG)).isEmpty();
  }

  @Test
  void a_write_under_a_current_lease_is_stored() {
    Lease lease = leases.claim("t1", "m1", LONG).orElseThrow();
    var r = run("t1", "a1", 0);
    assertThat(tasks.updateRun(running(r), RunState.WAITING, lease)).isTrue();
    assertThat(tasks.findRun("t1", "a1").orElseThrow().state()).isEqualTo(RunState.RUNNING);
  }

  @Test
  void a_task_stored_with_its_lease_is_held_from_the_start() {
    assertThat(tasks.insert(task("t2"), List.of(run("t2", "a1", 0)), "m1", LONG)).isTrue();
    assertThat(leases.claim("t2", "m2", LONG)).isEmpty();
    assertThat(leases.owned()).isEqualTo(Map.of("m1", 1));
    assertThat(leases.unowned(10)).containsExactly("t1"); // never an orphan, not for an instant
    Lease lease = new Lease("t2", "m1", 1);
    assertThat(tasks.updateRun(running(run("t2", "a1", 0)), RunState.WAITING, lease)).isTrue();
    assertThat(tasks.findRun("t2", "a1").orElseThrow().state()).isEqualTo(RunState.RUNNING);
  }

  @Test
  void the_lease_stored_with_a_task_expires_and_is_taken_over_like_a_claimed_one() {
    tasks.insert(task("t2"), List.of(run("t2", "a1", 0)), "m1", EXPIRED);
    assertThat(leases.unowned(10)).containsExactly("t1", "t2");
    assertThat(leases.claim("t2", "m2", LONG)).contains(new Lease("t2", "m2", 2));
    assertThatThrownBy(
            () ->
                tasks.updateRun(
                    running(run("t2", "a1", 0)), RunState.WAITING, new Lease("t2", "m1", 1)))
        .isInstanceOf(LeaseLostException.class);
  }

  @Test
  void a_fan_outs_starts_are_stored_together_each_compare_and_set() {
    tasks.insert(task("t2"), List.of(run("t2", "a1", 0), run("t2", "a2", 1), run("t2", "a3", 2)));
    Lease lease = leases.claim("t2", "m1", LONG).orElseThrow();
    tasks.updateRun(running(run("t2", "a3", 2)), RunState.WAITING, lease); // started already

    var won =
        tasks.updateRuns(
            List.of(
                running(run("t2", "a1", 0)),
                running(run("t2", "a2", 1)),
                running(run("t2", "a3", 2))),
            RunState.WAITING,
            lease);

    assertThat(won).containsExactly(true, true, false);
    assertThat(tasks.runs("t2")).extracting(r -> r.state()).containsOnly(RunState.RUNNING);
  }

  @Test
  void tasks_starts_and_their_first_runs_are_stored_together_or_not_at_all() {
    tasks.insert(task("t2"), List.of(run("t2", "a1", 0), run("t2", "a2", 1)));
    Lease lease = leases.claim("t2", "m1", LONG).orElseThrow();
    var begun = task("t2").moveTo(TaskState.RUNNING, null, null);
    var runs = List.of(running(run("t2", "a1", 0)), running(run("t2", "a2", 1)));
    // the task moved on: nothing is written for it
    tasks.insert(task("t3"), List.of(run("t3", "a1", 0)));
    Lease l3 = leases.claim("t3", "m1", LONG).orElseThrow();
    var t3 = task("t3").moveTo(TaskState.RUNNING, null, null);

    assertThat(
            tasks.startTasks(
                List.of(
                    new TaskStart(begun, TaskState.PENDING, runs, RunState.WAITING, lease),
                    new TaskStart(
                        t3,
                        TaskState.RUNNING,
                        List.of(running(run("t3", "a1", 0))),
                        RunState.WAITING,
                        l3))))
        .containsExactly(List.of(true, true), null);
    assertThat(tasks.findTask("t2").orElseThrow().state()).isEqualTo(TaskState.RUNNING);
    assertThat(tasks.runs("t2")).extracting(r -> r.state()).containsOnly(RunState.RUNNING);
    assertThat(tasks.findRun("t3", "a1").orElseThrow().state()).isEqualTo(RunState.WAITING);

    // one lease lost: none of the batch is written
    tasks.insert(task("t4"), List.of(run("t4", "a1", 0)));
    Lease l4 = leases.claim("t4", "m1", LONG).orElseThrow();
    Lease stale = leases.claim("t1", "m1", EXPIRED).orElseThrow();
    leases.claim("t1", "m2", LONG);
    assertThatThrownBy(
            () ->
                tasks.startTasks(
                    List.of(
                        new TaskStart(
                            task("t4").moveTo(TaskState.RUNNING, null, null),
                            TaskState.PENDING,
                            List.of(running(run("t4", "a1", 0))),
                            RunState.WAITING,
                            l4),
                        new TaskStart(
                            task("t1").moveTo(TaskState.RUNNING, null, null),
                            TaskState.PENDING,
                            List.of(running(run("t1", "a1", 0))),
                            RunState.WAITING,
                            stale))))
        .isInstanceOf(LeaseLostException.class);
    assertThat(tasks.findTask("t1").orElseThrow().state()).isEqualTo(TaskState.PENDING);
    assertThat(tasks.findTask("t4").orElseThrow().state()).isEqualTo(TaskState.PENDING);
    assertThat(tasks.findRun("t4", "a1").orElseThrow().state()).isEqualTo(RunState.WAITING);
  }

  @Test
  void task_changes_are_stored_together_each_compare_and_set_and_fenced() {
    tasks.insert(task("t2"), List.of(run("t2", "a1", 0)));
    tasks.insert(task("t3"), List.of(run("t3", "a1", 0)));
    Lease l2 = leases.claim("t2", "m1", LONG).orElseThrow();
    Lease l3 = leases.claim("t3", "m1", LONG).orElseThrow();

    assertThat(
            tasks.updateTasks(
                List.of(
                    new TaskChange(
                        task("t2").moveTo(TaskState.RUNNING, null, null), TaskState.PENDING, l2),
                    new TaskChange(
                        task("t3").moveTo(TaskState.RUNNING, null, null), TaskState.RUNNING, l3))))
        .containsExactly(true, false);
    assertThat(tasks.findTask("t2").orElseThrow().state()).isEqualTo(TaskState.RUNNING);
    assertThat(tasks.findTask("t3").orElseThrow().state()).isEqualTo(TaskState.PENDING);

    Lease stale = leases.claim("t1", "m1", EXPIRED).orElseThrow();
    leases.claim("t1", "m2", LONG);
    assertThatThrownBy(
            () ->
                tasks.updateTasks(
                    List.of(
                        new TaskChange(
                            task("t3").moveTo(TaskState.RUNNING, null, null),
                            TaskState.PENDING,
                            l3),
                        new TaskChange(
                            task("t1").moveTo(TaskState.RUNNING, null, null),
                            TaskState.PENDING,
                            stale))))
        .isInstanceOf(LeaseLostException.class);
    assertThat(tasks.findTask("t3").orElseThrow().state()).isEqualTo(TaskState.PENDING);
    assertThat(tasks.findTask("t1").orElseThrow().state()).isEqualTo(TaskState.PENDING);
  }

  @Test
  void a_fan_outs_starts_under_a_lease_taken_over_change_nothing() {
    Lease stale = leases.claim("t1", "m1", EXPIRED).orElseThrow();
    leases.claim("t1", "m2", LONG);
    assertThatThrownBy(
            () -> tasks.updateRuns(List.of(running(run("t1", "a1", 0))), RunState.WAITING, stale))
        .isInstanceOf(LeaseLostException.class);
    assertThat(tasks.findRun("t1", "a1").orElseThrow().state()).isEqualTo(RunState.WAITING);
  }

  @Test
  void a_write_under_a_lease_taken_over_is_refused_and_changes_nothing() {
    Lease stale = leases.claim("t1", "m1", EXPIRED).orElseThrow();
    leases.claim("t1", "m2", LONG);
    var r = run("t1", "a1", 0);
    assertThatThrownBy(() -> tasks.updateRun(running(r), RunState.WAITING, stale))
        .isInstanceOf(LeaseLostException.class)
        .hasMessageContaining("no longer holds task t1");
    var t = tasks.findTask("t1").orElseThrow();
    assertThatThrownBy(
            () -> tasks.updateTask(t.moveTo(TaskState.RUNNING, null, null), t.state(), stale))
        .isInstanceOf(LeaseLostException.class);
    assertThat(tasks.findRun("t1", "a1").orElseThrow().state()).isEqualTo(RunState.WAITING);
    assertThat(tasks.findTask("t1").orElseThrow().state()).isEqualTo(TaskState.PENDING);
  }

  @Test
  void a_write_under_an_expired_lease_is_refused_even_before_a_takeover() {
    Lease expired = leases.claim("t1", "m1", EXPIRED).orElseThrow();
    var r = run("t1", "a1", 0);
    assertThatThrownBy(() -> tasks.updateRun(running(r), RunState.WAITING, expired))
        .isInstanceOf(LeaseLostException.class);
  }

  @Test
  void a_retry_under_a_lease_is_fenced_by_the_lease_and_the_ended_attempt() {
    Lease lease = leases.claim("t1", "m1", EXPIRED).orElseThrow();
    var r = running(run("t1", "a1", 0));
    tasks.updateRun(r, RunState.WAITING);
    var failed = r.moveTo(RunState.FAILED, 1, r.startedAt(), TestData.at(5));
    tasks.completeRun(failed, RunState.RUNNING, "attempt 1\n".getBytes(StandardCharsets.UTF_8));
    var next = failed.nextAttempt(TestData.at(10));

    assertThatThrownBy(() -> tasks.retryRun(failed, next, lease))
        .isInstanceOf(LeaseLostException.class);
    assertThat(tasks.findRun("t1", "a1")).contains(failed);
    assertThat(tasks.attempts("t1")).isEmpty();
    assertThat(tasks.output("t1", "a1")).isNotEmpty();

    Lease current = leases.claim("t1", "m2", LONG).orElseThrow();
    assertThat(tasks.retryRun(failed, next, current)).isTrue();
    assertThat(tasks.findRun("t1", "a1")).contains(next);
    assertThat(tasks.attempts("t1")).containsExactly(failed);
    assertThat(tasks.output("t1", "a1")).isEmpty();
    assertThat(tasks.retryRun(failed, next, current)).as("attempt 1 ended once").isFalse();

    var stale = running(run("t1", "a1", 0)); // attempt 1 again
    assertThat(tasks.updateRun(stale, RunState.WAITING, current))
        .as("a write for attempt 1 does not touch attempt 2")
        .isFalse();
    assertThat(tasks.findRun("t1", "a1")).contains(next);
  }

  @Test
  void masters_register_and_heartbeat_on_the_database_clock() {
    var masters = db.masterStore();
    masters.register("m2", "tcp://b:5555", "http://b:8080");
    masters.register("m1", "tcp://a:5555", "http://a:8080");
    masters.register("m1", "tcp://a:6666", "http://a:8080"); // a restart replaces the row
    assertThat(masters.heartbeat("m1", 3, 1)).isTrue();
    assertThat(masters.heartbeat("gone", 0, 0)).isFalse();
    var all = masters.all();
    assertThat(all).extracting(m -> m.id()).containsExactly("m1", "m2");
    var m1 = all.get(0);
    assertThat(m1.agentEndpoint()).isEqualTo("tcp://a:6666");
    assertThat(m1.agentsConnected()).isEqualTo(3);
    assertThat(m1.tasksOwned()).isEqualTo(1);
    assertThat(m1.lastHeartbeat()).isBeforeOrEqualTo(m1.now());
    assertThat(Duration.between(m1.lastHeartbeat(), m1.now())).isLessThan(Duration.ofMinutes(1));
  }

  @Test
  void masters_silent_for_longer_than_the_limit_are_forgotten() throws Exception {
    var masters = db.masterStore();
    masters.register("m1", "tcp://a:5555", "http://a:8080");
    masters.register("m2", "tcp://b:5555", "http://b:8080");
    try (var c = db.dataSource().getConnection();
        var ps = c.prepareStatement("UPDATE masters SET last_heartbeat = ? WHERE id = 'm2'")) {
      ps.setLong(1, masters.all().get(0).now().minus(Duration.ofHours(25)).toEpochMilli());
      ps.executeUpdate();
    }
    assertThat(masters.forgetSilent(Duration.ofHours(26))).isZero();
    assertThat(masters.forgetSilent(Duration.ofHours(24))).isEqualTo(1);
    assertThat(masters.all()).extracting(m -> m.id()).containsExactly("m1");
    assertThat(masters.heartbeat("m2", 0, 0)).isFalse(); // it registers again when it comes back
  }
}
