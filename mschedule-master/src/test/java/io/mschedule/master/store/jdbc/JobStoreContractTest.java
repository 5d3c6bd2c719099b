package io.mschedule.master.store.jdbc;

import static io.mschedule.master.store.jdbc.TestData.T0;
import static io.mschedule.master.store.jdbc.TestData.at;
import static io.mschedule.master.store.jdbc.TestData.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.mschedule.master.store.AuditEntry;
import io.mschedule.master.store.JobStore;
import io.mschedule.master.store.JobVersion;
import io.mschedule.master.store.NewTask;
import io.mschedule.master.store.ScheduleRecord;
import io.mschedule.master.store.ScheduleStore;
import io.mschedule.master.task.ScriptHash;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskOrigin;
import io.mschedule.master.task.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link JobStore} and {@link ScheduleStore} contract, and schedule slots in tasks. */
abstract class JobStoreContractTest extends StoreContractSupport {
  JobStore jobs;
  ScheduleStore schedules;

  @BeforeEach
  void stores() {
    jobs = db.jobStore();
    schedules = db.scheduleStore();
  }

  private JobStore.Pushed push(String job, String script, String message) {
    return jobs.push(job, script, ScriptHash.of(script), "admin", message, T0);
  }

  @Test
  void versions_are_numbered_in_order_and_the_same_content_makes_no_new_version() {
    var v1 = push("backup", "echo one\n", "first");
    var v2 = push("backup", "echo two\n", null);
    var again = push("backup", "echo two\n", "same again");

    assertThat(v1.created()).isTrue();
    assertThat(v1.version().version()).isEqualTo(1);
    assertThat(v2.version().version()).isEqualTo(2);
    assertThat(again.created()).isFalse();
    assertThat(again.version()).isEqualTo(v2.version());
    assertThat(jobs.versions("backup"))
        .extracting(JobVersion::version, JobVersion::message, JobVersion::createdBy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "first", "admin"),
            org.assertj.core.groups.Tuple.tuple(2, null, "admin"));
    assertThat(jobs.latest("backup")).contains(v2.version());
    assertThat(jobs.version("backup", 1)).contains(v1.version());
    assertThat(jobs.version("backup", 3)).isEmpty();
    assertThat(jobs.script(v1.version().sha256())).contains("echo one\n");
  }

  @Test
  void a_script_is_stored_once_and_an_older_content_makes_a_new_version() {
    push("a", "echo same\n", null);
    push("b", "echo same\n", null);
    push("a", "echo other\n", null);
    var back = push("a", "echo same\n", "rollback");

    assertThat(back.created()).isTrue();
    assertThat(back.version().version()).isEqualTo(3);
    assertThat(back.version().sha256()).isEqualTo(ScriptHash.of("echo same\n"));
    assertThat(jobs.jobs())
        .extracting(JobVersion::job, JobVersion::version)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", 3),
            org.assertj.core.groups.Tuple.tuple("b", 1));
  }

  @Test
  void a_job_used_by_a_task_or_a_schedule_is_not_deleted() {
    push("backup", "echo one\n", null);
    push("spare", "echo two\n", null);
    push("planned", "echo three\n", null);
    var ran = slotTask("t1", TaskOrigin.job("backup", 1));
    assertThat(db.taskStore().insert(ran, List.of())).isTrue();
    schedules.create(
        new ScheduleRecord(
            "nightly",
            "planned",
            null,
            "0 2 * * *",
            "UTC",
            List.of("all"),
            null,
            null,
            null,
            null,
            null,
            ScheduleRecord.Concurrency.ALLOW,
            ScheduleRecord.Misfire.SKIP,
            null,
            false,
            T0,
            null,
            T0));

    assertThat(jobs.delete("backup")).isEqualTo(JobStore.Deletion.IN_USE);
    assertThat(jobs.versions("backup")).hasSize(1);
    assertThat(jobs.delete("planned")).isEqualTo(JobStore.Deletion.IN_USE);
    assertThat(jobs.versions("planned")).hasSize(1);
    assertThat(jobs.delete("spare")).isEqualTo(JobStore.Deletion.DELETED);
    assertThat(jobs.versions("spare")).isEmpty();
    assertThat(jobs.delete("spare")).isEqualTo(JobStore.Deletion.NOT_FOUND);
  }

  @Test
  void concurrent_pushes_get_consecutive_versions() throws Exception {
    int threads = 8;
    var pool = Executors.newFixedThreadPool(threads);
    try {
      var barrier = new CyclicBarrier(threads);
      List<Future<JobStore.Pushed>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String script = "echo " + i + "\n";
        Callable<JobStore.Pushed> c =
            () -> {
              barrier.await(10, TimeUnit.SECONDS);
              return push("race", script, null);
            };
        results.add(pool.submit(c));
      }
      List<Integer> numbers = new ArrayList<>();
      for (var f : results) {
        numbers.add(f.get(60, TimeUnit.SECONDS).version().version());
      }
      assertThat(numbers).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
      assertThat(jobs.versions("race"))
          .extracting(JobVersion::version)
          .containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void schedules_are_stored_paused_resumed_advanced_and_deleted() {
    push("backup", "echo one\n", null);
    var s =
        new ScheduleRecord(
            "nightly",
            "backup",
            1,
            "0 2 * * *",
            "Europe/Berlin",
            List.of("role=db"),
            "50%",
            0.5,
            2,
            60,
            Map.of("MODE", "full"),
            ScheduleRecord.Concurrency.FORBID,
            ScheduleRecord.Misfire.ONCE,
            600,
            false,
            T0,
            "admin",
            T0);
    assertThat(schedules.create(s)).isTrue();
    assertThat(schedules.create(s)).isFalse();
    assertThat(schedules.find("nightly")).contains(s);

    schedules.advance("nightly", at(60));
    schedules.advance("nightly", at(30)); // never moves back
    assertThat(schedules.find("nightly").orElseThrow().lastSlot()).isEqualTo(at(60));

    assertThat(schedules.setPaused("nightly", true, at(60))).isTrue();
    assertThat(schedules.all()).singleElement().extracting(ScheduleRecord::paused).isEqualTo(true);
    assertThat(schedules.setPaused("nope", true, at(60))).isFalse();

    assertThat(schedules.delete("nightly")).isTrue();
    assertThat(schedules.delete("nightly")).isFalse();
    assertThat(schedules.all()).isEmpty();
  }

  @Test
  void a_task_cannot_name_a_version_that_does_not_exist() {
    var ghost = slotTask("t1", TaskOrigin.job("ghost", 1));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> db.taskStore().insert(ghost, List.of()))
        .isInstanceOf(StoreException.class);
  }

  @Test
  void a_schedule_slot_gets_one_task_and_a_second_insert_is_a_no_op() {
    push("backup", "echo one\n", null);
    push("backup", "echo two\n", null);
    var origin = new TaskOrigin("backup", 2, "nightly", at(10), null);
    var first = slotTask("t1", origin);
    var second = slotTask("t2", origin);

    assertThat(db.taskStore().insert(first, List.of(run("t1", "a1", 0)))).isTrue();
    assertThat(db.taskStore().insert(second, List.of(run("t2", "a1", 0)))).isFalse();
    assertThat(db.taskStore().findTask("t2")).isEmpty();
    assertThat(db.taskStore().runs("t2")).isEmpty();
    assertThat(db.taskStore().findTask("t1")).contains(first);

    var next = slotTask("t3", new TaskOrigin("backup", 2, "nightly", at(20), null));
    assertThat(db.taskStore().insert(next, List.of())).isTrue();
    assertThat(db.taskStore().latestOfSchedule("nightly")).contains(next);
    // plain tasks have no slot and never collide
    assertThat(db.taskStore().insert(slotTask("t4", TaskOrigin.NONE), List.of())).isTrue();
    assertThat(db.taskStore().insert(slotTask("t5", TaskOrigin.NONE), List.of())).isTrue();
  }

  @Test
  void new_tasks_are_stored_with_their_audit_entries_all_or_nothing() {
    push("backup", "echo one\n", null);
    push("backup", "echo two\n", null);
    var audit = SecurityTables.audit(db);
    var slot = new TaskOrigin("backup", 2, "nightly", at(10), null);
    var batch =
        List.of(
            new NewTask(slotTask("t1", slot), List.of(run("t1", "a1", 0)), entry("t1")),
            new NewTask(slotTask("t2", TaskOrigin.NONE), List.of(), entry("t2")),
            new NewTask(slotTask("t3", TaskOrigin.NONE), List.of(), null));

    assertThat(db.taskStore().insertAll(batch, null, null)).containsExactly(true, true, true);
    assertThat(db.taskStore().runs("t1")).hasSize(1);
    assertThat(db.taskStore().findTask("t3")).isPresent();
    assertThat(audit.recent(10))
        .extracting(AuditEntry::target, AuditEntry::detail)
        .containsExactlyInAnyOrder(tuple("t1", "runs=1"), tuple("t2", "runs=1"));

    // the slot of t1 is taken: a batch with a task for it stores nothing, not even its entries
    var clash =
        List.of(
            new NewTask(slotTask("t4", TaskOrigin.NONE), List.of(), entry("t4")),
            new NewTask(slotTask("t5", slot), List.of(), entry("t5")));
    assertThatThrownBy(() -> db.taskStore().insertAll(clash, null, null))
        .isInstanceOf(StoreException.class);
    assertThat(db.taskStore().findTask("t4")).isEmpty();
    // alone, the task for the taken slot is refused and the other one is stored
    assertThat(db.taskStore().insertAll(clash.subList(1, 2), null, null)).containsExactly(false);
    assertThat(db.taskStore().insertAll(clash.subList(0, 1), null, null)).containsExactly(true);
    assertThat(audit.recent(10)).extracting(AuditEntry::target).containsOnly("t1", "t2", "t4");
  }

  private static AuditEntry entry(String taskId) {
    return new AuditEntry(0, T0, "ops", "task.submit", taskId, "runs=1");
  }

  private static Task slotTask(String id, TaskOrigin origin) {
    return new Task(
        id,
        TaskState.PENDING,
        null,
        "echo hi\n",
        List.of("all"),
        0,
        null,
        null,
        0,
        T0,
        null,
        "schedule:nightly",
        null,
        Map.of("MODE", "full", "A_B", "x y"),
        origin);
  }
}
