package io.mschedule.master.store.jdbc;

import static io.mschedule.master.store.jdbc.TestData.T0;
import static io.mschedule.master.store.jdbc.TestData.at;
import static io.mschedule.master.store.jdbc.TestData.run;
import static io.mschedule.master.store.jdbc.TestData.running;
import static io.mschedule.master.store.jdbc.TestData.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mschedule.master.store.TaskStore;
import io.mschedule.master.task.RetryPolicy;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunOutput;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Script;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskFiles;
import io.mschedule.master.task.TaskOrigin;
import io.mschedule.master.task.TaskState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link TaskStore} contract; one empty subclass per database. */
abstract class TaskStoreContractTest extends StoreContractSupport {
  TaskStore store;

  @BeforeEach
  void store() {
    store = db.taskStore();
  }

  @Test
  void inserted_task_is_found_with_its_runs_ordered_by_seq() {
    var task =
        new Task(
            "t1",
            TaskState.PENDING,
            "why ünïcode",
            "#!/bin/sh\necho 'héllo, wörld' \"$HOSTNAME\" \u2603\n",
            List.of("all", "web*", "role=db", "a,b", "quote\"d", "日本"),
            5,
            0.25,
            3,
            30,
            T0,
            null,
            "ops-token",
            TaskState.KILLED);
    var runs = List.of(run("t1", "a2", 1), run("t1", "a1", 0), run("t1", "a3", 2));

    store.insert(task, runs);

    assertThat(store.findTask("t1")).contains(task);
    assertThat(store.runs("t1")).containsExactly(runs.get(1), runs.get(0), runs.get(2));
    assertThat(store.findRun("t1", "a2")).contains(runs.get(0));
  }

  @Test
  void unknown_ids_find_nothing() {
    store.insert(task("t1"), List.of(run("t1", "a1", 0)));

    assertThat(store.findTask("nope")).isEmpty();
    assertThat(store.findRun("t1", "nope")).isEmpty();
    assertThat(store.findRun("nope", "a1")).isEmpty();
    assertThat(store.runs("nope")).isEmpty();
    assertThat(store.output("nope", "a1")).isEmpty();
    assertThat(store.outputs("nope")).isEmpty();
  }

  @Test
  void task_ids_are_found_by_prefix_in_id_order() {
    for (String id : List.of("615f4029aa", "615f9911bb", "615a0000cc", "7000dddd")) {
      store.insert(task(id), List.of());
    }

    assertThat(store.taskIdsStartingWith("615f", 10)).containsExactly("615f4029aa", "615f9911bb");
    assertThat(store.taskIdsStartingWith("615", 2)).containsExactly("615a0000cc", "615f4029aa");
    assertThat(store.taskIdsStartingWith("7000dddd", 10)).containsExactly("7000dddd");
    assertThat(store.taskIdsStartingWith("8", 10)).isEmpty();
    assertThat(store.taskIdsStartingWith("61%", 10)).isEmpty();
  }

  @Test
  void task_without_runs_can_be_stored() {
    store.insert(task("t1"), List.of());

    assertThat(store.findTask("t1")).isPresent();
    assertThat(store.runs("t1")).isEmpty();
  }

  @Test
  void insert_is_all_or_nothing() {
    var duplicateRun = List.of(run("t1", "a1", 0), run("t1", "a1", 1));

    assertThatThrownBy(() -> store.insert(task("t1"), duplicateRun))
        .isInstanceOf(StoreException.class);

    assertThat(store.findTask("t1")).isEmpty();
    assertThat(store.runs("t1")).isEmpty();

    // The connections go back to the pool in auto-commit: later writes are durable.
    for (var i = 0; i < 8; i++) {
      store.insert(task("ok" + i), List.of(run("ok" + i, "a1", 0)));
      store.updateTask(task("ok" + i).moveTo(TaskState.RUNNING, null, null), TaskState.PENDING);
    }
    reopen();
    assertThat(db.taskStore().unfinishedTasks())
        .hasSize(8)
        .allMatch(t -> t.state() == TaskState.RUNNING);
  }

  @Test
  void inserting_an_existing_task_id_fails() {
    store.insert(task("t1"), List.of());

    assertThatThrownBy(() -> store.insert(task("t1"), List.of()))
        .isInstanceOf(StoreException.class);
  }

  @Test
  void optional_fields_round_trip_as_null_and_set() {
    var finished =
        new Task(
            "t1",
            TaskState.SUCCEEDED,
            null,
            "true",
            List.of(),
            0,
            1.0,
            -1,
            0,
            T0,
            at(60),
            null,
            null);
    var run =
        new Run("t1", "a1", null, 0, RunState.FAILED, -1, true, at(1), at(2)); // code may be < 0

    store.insert(finished, List.of(run));

    assertThat(store.findTask("t1")).contains(finished);
    assertThat(store.findRun("t1", "a1")).contains(run);
  }

  @Test
  void times_are_kept_to_the_millisecond() {
    var precise = Instant.parse("2026-03-01T10:00:00.123456789Z");

    store.insert(task("t1", precise), List.of());

    assertThat(store.findTask("t1").orElseThrow().createdAt())
        .isEqualTo(Instant.parse("2026-03-01T10:00:00.123Z"));
  }

  @Test
  void recent_tasks_are_newest_first_and_limited() {
    for (var i = 0; i < 5; i++) {
      store.insert(task("t" + i, at(i)), List.of());
    }

    assertThat(store.recentTasks(3)).extracting(Task::id).containsExactly("t4", "t3", "t2");
    assertThat(store.recentTasks(10))
        .extracting(Task::id)
        .containsExactly("t4", "t3", "t2", "t1", "t0");
    assertThat(store.recentTasks(0)).isEmpty();
  }

  @Test
  void unfinished_tasks_are_pending_or_running_oldest_first() {
    store.insert(task("running", at(3)), List.of());
    store.updateTask(
        task("running", at(3)).moveTo(TaskState.RUNNING, null, null), TaskState.PENDING);
    store.insert(task("pending", at(2)), List.of());
    store.insert(task("done", at(1)), List.of());
    store.updateTask(
        task("done", at(1)).moveTo(TaskState.KILLED, "killed", at(5)), TaskState.PENDING);
    store.insert(task("oldest", at(0)), List.of());

    assertThat(store.unfinishedTasks())
        .extracting(Task::id)
        .containsExactly("oldest", "pending", "running");
  }

  @Test
  void update_task_replaces_the_row_when_the_state_matches() {
    store.insert(task("t1"), List.of());
    var aborted = task("t1").moveTo(TaskState.ABORTED, "too many failures", at(9));

    assertThat(store.updateTask(aborted, TaskState.PENDING)).isTrue();

    assertThat(store.findTask("t1")).contains(aborted);
  }

  @Test
  void update_task_changes_nothing_when_the_state_differs() {
    store.insert(task("t1"), List.of());
    var running = task("t1").moveTo(TaskState.RUNNING, null, null);
    store.updateTask(running, TaskState.PENDING);

    var stale = task("t1").moveTo(TaskState.KILLED, "stale", at(9));

    assertThat(store.updateTask(stale, TaskState.PENDING)).isFalse();
    assertThat(store.findTask("t1")).contains(running);
    assertThat(
            store.updateTask(
                task("unknown").moveTo(TaskState.KILLED, null, null), TaskState.PENDING))
        .isFalse();
  }

  @Test
  void update_run_replaces_the_row_when_the_state_matches() {
    var run = run("t1", "a1", 0);
    store.insert(task("t1"), List.of(run));

    assertThat(store.updateRun(running(run), RunState.WAITING)).isTrue();

    assertThat(store.findRun("t1", "a1")).contains(running(run));
  }

  @Test
  void update_run_changes_nothing_when_the_state_differs() {
    var run = run("t1", "a1", 0);
    store.insert(task("t1"), List.of(run));
    var skipped = run.moveTo(RunState.SKIPPED, null, null, at(1));
    store.updateRun(skipped, RunState.WAITING);

    assertThat(store.updateRun(running(run), RunState.WAITING)).isFalse();
    assertThat(store.findRun("t1", "a1")).contains(skipped);
  }

  @Test
  void complete_run_records_state_and_output_once() {
    var run = running(run("t1", "a1", 0));
    store.insert(task("t1"), List.of(run("t1", "a1", 0)));
    store.updateRun(run, RunState.WAITING);
    var succeeded = run.moveTo(RunState.SUCCEEDED, 0, run.startedAt(), at(5));
    var failed = run.moveTo(RunState.FAILED, 1, run.startedAt(), at(6));

    assertThat(store.completeRun(succeeded, RunState.RUNNING, bytes("first\n"))).isTrue();
    assertThat(store.completeRun(failed, RunState.RUNNING, bytes("second\n"))).isFalse();

    assertThat(store.findRun("t1", "a1")).contains(succeeded);
    assertThat(store.output("t1", "a1")).isEqualTo(bytes("first\n"));
  }

  @Test
  void completions_of_one_batch_are_decided_in_order_and_only_winners_keep_output() {
    var a1 = running(run("t1", "a1", 0));
    var a2 = running(run("t1", "a2", 1));
    var a3 = run("t1", "a3", 2);
    store.insert(task("t1"), List.of(a1, a2, a3));
    var a1Done = a1.moveTo(RunState.SUCCEEDED, 0, a1.startedAt(), at(5));
    var a1Again = a1.moveTo(RunState.FAILED, 1, a1.startedAt(), at(6));
    var a2Done = a2.moveTo(RunState.FAILED, 2, a2.startedAt(), at(7));
    var a3Done = running(a3).moveTo(RunState.SUCCEEDED, 0, at(1), at(8));

    var won =
        store.completeRuns(
            List.of(
                new TaskStore.Completion(a1Done, RunState.RUNNING, RunOutput.stdout(bytes("one"))),
                new TaskStore.Completion(a1Again, RunState.RUNNING, RunOutput.stdout(bytes("x"))),
                new TaskStore.Completion(a2Done, RunState.RUNNING, RunOutput.stdout(bytes("two"))),
                new TaskStore.Completion(a3Done, RunState.RUNNING, RunOutput.stdout(bytes("y")))));

    assertThat(won)
        .as("a3 is still WAITING; a1's second end comes after its first")
        .containsExactly(true, false, true, false);
    assertThat(store.findRun("t1", "a1")).contains(a1Done);
    assertThat(store.findRun("t1", "a2")).contains(a2Done);
    assertThat(store.findRun("t1", "a3")).contains(a3);
    assertThat(store.outputs("t1")).containsOnlyKeys("a1", "a2");
    assertThat(store.output("t1", "a1")).isEqualTo(bytes("one"));
  }

  @Test
  void a_batch_of_completions_replaces_output_a_run_has_and_adds_output_to_the_others() {
    var a1 = running(run("t1", "a1", 0));
    var a2 = running(run("t1", "a2", 1));
    store.insert(task("t1"), List.of(a1, a2));
    var a1Lost = a1.moveTo(RunState.LOST, null, a1.startedAt(), at(5));
    assertThat(store.completeRun(a1Lost, RunState.RUNNING, RunOutput.stdout(bytes("first"))))
        .isTrue();
    var a1Late = a1Lost.withLateResult(0, false, null);
    var a2Done = a2.moveTo(RunState.SUCCEEDED, 0, a2.startedAt(), at(7));

    var won =
        store.completeRuns(
            List.of(
                new TaskStore.Completion(
                    a1Late, RunState.LOST, RunOutput.stdout(bytes("replaced"))),
                new TaskStore.Completion(
                    a2Done, RunState.RUNNING, RunOutput.stdout(bytes("new")))));

    assertThat(won).containsExactly(true, true);
    assertThat(store.output("t1", "a1")).isEqualTo(bytes("replaced"));
    assertThat(store.output("t1", "a2")).isEqualTo(bytes("new"));
  }

  @Test
  void a_retry_keeps_the_ended_attempt_apart_and_the_run_row_holds_the_next() {
    var retrying =
        new Task(
            "t1",
            TaskState.RUNNING,
            null,
            Script.of("false"),
            List.of("all"),
            1,
            null,
            null,
            0,
            T0,
            null,
            null,
            null,
            Map.of(),
            TaskOrigin.NONE,
            TaskFiles.NONE,
            new RetryPolicy(2, 30));
    store.insert(retrying, List.of(run("t1", "a1", 0)));
    assertThat(store.findTask("t1")).contains(retrying);
    var run = running(run("t1", "a1", 0));
    store.updateRun(run, RunState.WAITING);
    var failed = run.moveTo(RunState.FAILED, 1, run.startedAt(), at(5)).withError("boom");
    store.completeRun(
        failed,
        RunState.RUNNING,
        new RunOutput(bytes("attempt 1\nboom\n"), List.of(10, 5))); // stdout, then stderr
    var next = failed.nextAttempt(at(35));

    assertThat(store.retryRun(failed, next)).isTrue();
    assertThat(store.retryRun(failed, next)).isFalse(); // once

    assertThat(store.findRun("t1", "a1")).contains(next);
    assertThat(store.output("t1", "a1")).isEmpty();
    assertThat(store.runOutputs("t1")).as("both streams of attempt 1 are gone").isEmpty();
    assertThat(store.attempts("t1")).containsExactly(failed);

    var second = next.moveTo(RunState.RUNNING, null, at(36), null);
    assertThat(store.updateRun(second, RunState.WAITING)).isTrue();
    assertThat(second.retryAt()).isNull();
    var stale = run.moveTo(RunState.SUCCEEDED, 0, run.startedAt(), at(40));
    assertThat(store.completeRun(stale, RunState.RUNNING, (RunOutput) null))
        .as("a result of attempt 1 does not complete attempt 2")
        .isFalse();
    assertThat(store.findRun("t1", "a1")).contains(second);
  }

  @Test
  void complete_run_with_a_stale_state_stores_nothing() {
    store.insert(task("t1"), List.of(run("t1", "a1", 0)));
    var run = running(run("t1", "a1", 0));
    var done = run.moveTo(RunState.SUCCEEDED, 0, run.startedAt(), at(5));

    assertThat(store.completeRun(done, RunState.RUNNING, bytes("output"))).isFalse();

    assertThat(store.findRun("t1", "a1")).contains(run("t1", "a1", 0));
    assertThat(store.output("t1", "a1")).isEmpty();
    assertThat(store.outputs("t1")).isEmpty();
  }

  @Test
  void a_run_that_failed_to_start_keeps_the_agents_reason() {
    var run = running(run("t1", "a1", 0));
    store.insert(task("t1"), List.of(run));
    var failed =
        run.moveTo(RunState.FAILED_TO_START, null, run.startedAt(), at(5))
            .withError("failed to start: /no/such/shell: not found");

    assertThat(store.completeRun(failed, RunState.RUNNING, (byte[]) null)).isTrue();

    assertThat(store.findRun("t1", "a1")).contains(failed);
    assertThat(store.runs("t1").get(0).error())
        .isEqualTo("failed to start: /no/such/shell: not found");
    assertThat(store.runs("t1").get(0).code()).isNull();
  }

  @Test
  void complete_run_without_output_stores_no_output() {
    var run = running(run("t1", "a1", 0));
    store.insert(task("t1"), List.of(run));
    var lost = run.moveTo(RunState.LOST, null, run.startedAt(), at(5));

    assertThat(store.completeRun(lost, RunState.RUNNING, (byte[]) null)).isTrue();

    assertThat(store.findRun("t1", "a1")).contains(lost);
    assertThat(store.output("t1", "a1")).isEmpty();
    assertThat(store.outputs("t1")).isEmpty();
  }

  @Test
  void racing_completions_of_one_run_record_exactly_one() throws Exception {
    var rounds = 8;
    var runs = new ArrayList<Run>();
    for (var i = 0; i < rounds; i++) {
      runs.add(running(run("t1", "a" + i, i)));
    }
    store.insert(task("t1"), runs);
    var pool = Executors.newFixedThreadPool(2);
    try {
      for (var run : runs) {
        var barrier = new CyclicBarrier(2);
        var ok = run.moveTo(RunState.SUCCEEDED, 0, run.startedAt(), at(5));
        var failed = run.moveTo(RunState.FAILED, 2, run.startedAt(), at(6));
        var a = pool.submit(complete(barrier, ok, randomBytes(64 * 1024, 1)));
        var b = pool.submit(complete(barrier, failed, randomBytes(64 * 1024, 2)));

        var aWon = a.get(30, TimeUnit.SECONDS);
        var bWon = b.get(30, TimeUnit.SECONDS);

        assertThat(aWon ^ bWon).as("exactly one completion wins").isTrue();
        var winner = aWon ? ok : failed;
        assertThat(store.findRun("t1", run.agentId())).contains(winner);
        assertThat(store.output("t1", run.agentId()))
            .isEqualTo(randomBytes(64 * 1024, aWon ? 1 : 2));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void completion_blocked_by_an_uncommitted_one_loses_once_that_commits() throws Exception {
    var run = running(run("t1", "a1", 0));
    store.insert(task("t1"), List.of(run));
    var late = run.moveTo(RunState.FAILED, 1, run.startedAt(), at(6));
    var pool = Executors.newSingleThreadExecutor();
    try (var first = db.dataSource().getConnection()) {
      first.setAutoCommit(false);
      try (var st =
          first.prepareStatement(
              "UPDATE runs SET state = 'SUCCEEDED' WHERE task_id = 't1' AND agent_id = 'a1'"
                  + " AND state = 'RUNNING'")) {
        assertThat(st.executeUpdate()).isEqualTo(1);
      }

      var second = pool.submit(() -> store.completeRun(late, RunState.RUNNING, bytes("late")));
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(5))
          .until(() -> !second.isDone());
      first.commit();

      assertThat(second.get(10, TimeUnit.SECONDS)).isFalse();
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.findRun("t1", "a1").orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(store.output("t1", "a1")).isEmpty();
  }

  @Test
  void output_is_binary_safe() {
    var allBytes = new byte[256];
    for (var i = 0; i < allBytes.length; i++) {
      allBytes[i] = (byte) i;
    }
    var notUtf8 = new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, 0, (byte) 0xA0, 0x0A};
    var big = randomBytes(3 * 1024 * 1024, 42);
    var runs = List.of(run("t1", "all", 0), run("t1", "bad", 1), run("t1", "big", 2));
    store.insert(task("t1"), runs.stream().map(TestData::running).toList());

    complete(runs.get(0), allBytes);
    complete(runs.get(1), notUtf8);
    complete(runs.get(2), big);

    assertThat(store.output("t1", "all")).isEqualTo(allBytes);
    assertThat(store.output("t1", "bad")).isEqualTo(notUtf8);
    assertThat(store.output("t1", "big")).isEqualTo(big);
  }

  @Test
  void outputs_holds_every_run_with_output_keyed_by_agent_in_seq_order() {
    var runs = List.of(run("t1", "z", 0), run("t1", "y", 1), run("t1", "x", 2));
    store.insert(task("t1"), runs.stream().map(TestData::running).toList());
    store.insert(task("t2"), List.of(running(run("t2", "z", 0))));
    complete(runs.get(2), bytes("x out"));
    complete(runs.get(0), bytes("z out"));
    complete(runs.get(1), new byte[0]);
    complete(run("t2", "z", 0), bytes("other task"));

    var outputs = store.outputs("t1");

    assertThat(outputs).containsOnlyKeys("z", "y", "x");
    assertThat(outputs.keySet()).containsExactly("z", "y", "x");
    assertThat(outputs.get("z")).isEqualTo(bytes("z out"));
    assertThat(outputs.get("y")).isEmpty();
    assertThat(outputs.get("x")).isEqualTo(bytes("x out"));
  }

  @Test
  void tasks_runs_and_outputs_survive_a_reopen() {
    var run = running(run("t1", "a1", 0));
    store.insert(task("t1"), List.of(run));
    complete(run("t1", "a1", 0), bytes("kept"));

    reopen();

    var reopened = db.taskStore();
    assertThat(reopened.findTask("t1")).contains(task("t1"));
    assertThat(reopened.findRun("t1", "a1").orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(reopened.output("t1", "a1")).isEqualTo(bytes("kept"));
  }

  @Test
  void scripts_that_are_not_utf8_or_hold_nul_come_back_byte_exact() {
    byte[] latin1 = "printf 'caf\u00e9\\n'\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] withNul = {'e', 'c', 'h', 'o', ' ', 0, '\n'};
    byte[] utf8 = bytes("echo caf\u00e9\n");
    for (byte[] bytes : List.of(latin1, withNul, utf8)) {
      String id = "s" + bytes.length + bytes[bytes.length - 2];
      Task t = withScript(task(id), Script.of(bytes));
      store.insert(t, List.of(run(id, "a1", 0)));

      Task back = store.findTask(id).orElseThrow();
      assertThat(back.script().bytes()).isEqualTo(bytes);
      assertThat(back.scriptSha256()).isEqualTo(t.scriptSha256());
      assertThat(back).isEqualTo(t);
      // an update writes the script again
      Task moved = back.moveTo(TaskState.RUNNING, null, null);
      assertThat(store.updateTask(moved, TaskState.PENDING)).isTrue();
      assertThat(store.findTask(id).orElseThrow().script().bytes()).isEqualTo(bytes);
    }
  }

  @Test
  void output_streams_are_stored_with_the_output() {
    var run = running(run("t1", "a1", 0));
    var other = running(run("t1", "a2", 1));
    store.insert(task("t1"), List.of(run("t1", "a1", 0), run("t1", "a2", 1)));
    store.updateRun(run, RunState.WAITING);
    store.updateRun(other, RunState.WAITING);
    byte[] data = bytes("out\nerr\nout\n");
    var streams = List.of(4, 4, 4);
    assertThat(
            store.completeRun(
                run.moveTo(RunState.SUCCEEDED, 0, run.startedAt(), at(5)),
                RunState.RUNNING,
                new RunOutput(data, streams)))
        .isTrue();
    assertThat(
            store.completeRun(
                other.moveTo(RunState.SUCCEEDED, 0, other.startedAt(), at(5)),
                RunState.RUNNING,
                bytes("plain")))
        .isTrue();

    var outputs = store.runOutputs("t1");
    assertThat(outputs.get("a1")).isEqualTo(new RunOutput(data, streams));
    assertThat(outputs.get("a1").stderr()).isEqualTo(bytes("err\n"));
    assertThat(outputs.get("a2")).isEqualTo(RunOutput.stdout(bytes("plain")));
    assertThat(store.output("t1", "a1")).isEqualTo(data);
  }

  private static Task withScript(Task t, Script script) {
    return new Task(
        t.id(),
        t.state(),
        t.reason(),
        script,
        t.targets(),
        t.parallel(),
        t.failRate(),
        t.failCount(),
        t.timeoutSeconds(),
        t.createdAt(),
        t.finishedAt(),
        t.createdBy(),
        t.stopping(),
        t.env(),
        t.origin());
  }

  /** Completes a stored RUNNING run, given as it was inserted WAITING. */
  private void complete(Run waiting, byte[] output) {
    var run = running(waiting);
    var done = run.moveTo(RunState.SUCCEEDED, 0, run.startedAt(), at(5));
    assertThat(store.completeRun(done, RunState.RUNNING, output)).isTrue();
  }

  private Callable<Boolean> complete(CyclicBarrier barrier, Run finished, byte[] output) {
    return () -> {
      barrier.await(10, TimeUnit.SECONDS);
      return store.completeRun(finished, RunState.RUNNING, output);
    };
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] randomBytes(int size, long seed) {
    var bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
