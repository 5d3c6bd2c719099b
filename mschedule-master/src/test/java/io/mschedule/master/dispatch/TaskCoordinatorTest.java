package io.mschedule.master.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mschedule.master.agents.AgentRegistry;
import io.mschedule.master.agents.TestAgents;
import io.mschedule.master.live.TaskEvents;
import io.mschedule.master.security.DbAuditLog;
import io.mschedule.master.store.AuditEntry;
import io.mschedule.master.store.AuditStore;
import io.mschedule.master.store.NewTask;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.store.TaskStore.TaskChange;
import io.mschedule.master.store.TaskStore.TaskStart;
import io.mschedule.master.store.jdbc.Database;
import io.mschedule.master.store.jdbc.SecurityTables;
import io.mschedule.master.store.jdbc.TestDatabase;
import io.mschedule.master.task.DuplicateSlotException;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Script;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskOrigin;
import io.mschedule.master.task.TaskRequest;
import io.mschedule.master.task.TaskState;
import io.mschedule.protocol.test.TestClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The coordinator carrying out the planner's actions against a real H2 store and a recording
 * gateway, with the time moved by the test. {@code runOnce()} is called directly: no thread.
 */
class TaskCoordinatorTest {
  static final Duration OFFLINE_AFTER = Duration.ofSeconds(15);

  @TempDir Path dir;
  Database db;
  TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  AgentRegistry registry;
  RecordingGateway gateway = new RecordingGateway();
  TaskCoordinator coordinator;
  DispatchEvents events;
  TaskService service;

  @BeforeEach
  void up() {
    db = Database.open(TestDatabase.migratedH2(dir, 4));
    registry = new AgentRegistry(db.agentStore(), clock, OFFLINE_AFTER);
    TaskEvents live = new TaskEvents();
    coordinator =
        new TaskCoordinator(db.taskStore(), registry, gateway, live, clock, Duration.ofSeconds(60));
    registry.addListener(coordinator);
    events =
        new DispatchEvents(
            coordinator, new ResultRecorder(db.taskStore(), live, coordinator, clock), live);
    service = new TaskService(registry, coordinator, clock, 1 << 20, 1000, "2");
    for (int i = 1; i <= 3; i++) {
      registry.register(TestAgents.register(agent(i), "host-" + i));
    }
  }

  @AfterEach
  void down() {
    events.close();
    db.close();
  }

  /**
   * The real store, with every {@code completeRuns} call's size noted; the first such call waits
   * for {@code release} once it has counted down {@code entered}.
   */
  TaskStore watched(List<Integer> sizes, CountDownLatch entered, CountDownLatch release) {
    return watched("completeRuns", sizes, entered, release);
  }

  /** {@link #watched(List, CountDownLatch, CountDownLatch)} for the store's method {@code name}. */
  TaskStore watched(
      String name, List<Integer> sizes, CountDownLatch entered, CountDownLatch release) {
    TaskStore real = db.taskStore();
    return (TaskStore)
        Proxy.newProxyInstance(
            TaskStore.class.getClassLoader(),
            new Class<?>[] {TaskStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals(name)) {
                sizes.add(((List<?>) args[0]).size());
                if (sizes.size() == 1) {
                  entered.countDown();
                  assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
                }
              }
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void results_that_arrive_together_are_stored_in_one_transaction() {
    Task t = submit(0);
    coordinator.runOnce();
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    CountDownLatch open = new CountDownLatch(0);
    ResultRecorder recorder =
        new ResultRecorder(
            watched(sizes, new CountDownLatch(1), open), new TaskEvents(), coordinator, clock);

    List<ResultRecorder.Recorded> recorded =
        recorder.recordAll(
            List.of(
                exited(t, 1, 0),
                exited(t, 2, 1),
                exited(t, 1, 0),
                new RunOutcome("nope", agent(1), RunState.SUCCEEDED, 0, new byte[0], false, null)));

    assertThat(sizes)
        .as("one transaction, the repeat and the unknown run left out")
        .containsExactly(2);
    assertThat(recorded.subList(0, 3))
        .extracting(ResultRecorder.Recorded::fresh)
        .containsExactly(true, true, false);
    assertThat(recorded.get(3).error()).isInstanceOf(ResultRecorder.UnknownRunException.class);
    assertThat(stored(t, 1).state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(stored(t, 2).state()).isEqualTo(RunState.FAILED);
    assertThat(stored(t, 3).state()).isEqualTo(RunState.RUNNING);
    coordinator.runOnce();
    assertThat(recorder.record(exited(t, 3, 0))).isTrue();
    coordinator.runOnce();
    assertThat(state(t)).isEqualTo(TaskState.FAILED);
  }

  @Test
  void results_waiting_for_the_writer_go_in_its_next_transaction_and_are_answered_once_stored()
      throws Exception {
    Task t = submit(0);
    coordinator.runOnce();
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ResultRecorder recorder =
        new ResultRecorder(watched(sizes, entered, release), new TaskEvents(), coordinator, clock);
    List<String> answers = new CopyOnWriteArrayList<>();
    ResultBatcher batcher = new ResultBatcher(recorder);
    Thread first = new Thread(() -> batcher.submit(exited(t, 1, 0), answer(answers, "1")));
    first.start();
    assertThat(entered.await(30, TimeUnit.SECONDS)).as("the first write started").isTrue();
    // a write is going on: these only queue, the writing thread stores them next
    batcher.submit(exited(t, 2, 0), answer(answers, "2"));
    batcher.submit(exited(t, 3, 0), answer(answers, "3"));
    batcher.submit(exited(t, 3, 0), answer(answers, "3 again"));
    assertThat(answers).as("nothing answered before it is stored").isEmpty();
    assertThat(stored(t, 1).state()).isEqualTo(RunState.RUNNING);

    release.countDown();
    first.join(30_000);
    assertThat(first.isAlive()).isFalse();
    assertThat(sizes).containsExactly(1, 2);
    assertThat(answers).containsExactly("1 fresh", "2 fresh", "3 fresh", "3 again duplicate");
    assertThat(stored(t, 3).state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void submissions_made_together_are_stored_in_one_transaction_each_with_its_audit_entry()
      throws Exception {
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TaskCoordinator c =
        new TaskCoordinator(
            watched("insertAll", sizes, entered, release),
            registry,
            gateway,
            new TaskEvents(),
            clock,
            Duration.ofSeconds(60));
    AuditStore audit = SecurityTables.audit(db);
    TaskService s = auditedService(c, audit);
    List<String> ids = new CopyOnWriteArrayList<>();
    List<Thread> submitters = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      String who = "ops-" + i;
      Thread th =
          new Thread(
              () ->
                  ids.add(
                      s.submit(new TaskRequest("true", List.of(agent(1)), 1, null, null, 0), who)
                          .id()));
      th.start();
      submitters.add(th);
      if (i == 1) {
        assertThat(entered.await(30, TimeUnit.SECONDS)).as("the first write started").isTrue();
      } else {
        // queued behind the write going on, waiting for it to store theirs
        await().until(() -> th.getState() == Thread.State.WAITING);
      }
    }
    assertThat(ids).as("nothing answered before it is stored").isEmpty();
    assertThat(audit.recent(10)).isEmpty();

    release.countDown();
    for (Thread th : submitters) {
      th.join(30_000);
      assertThat(th.isAlive()).isFalse();
    }
    assertThat(sizes).containsExactly(1, 2);
    assertThat(ids).hasSize(3).allMatch(id -> db.taskStore().runs(id).size() == 1);
    assertThat(audit.recent(10))
        .extracting(AuditEntry::actor, AuditEntry::action)
        .containsExactlyInAnyOrder(
            tuple("ops-1", "task.submit"),
            tuple("ops-2", "task.submit"),
            tuple("ops-3", "task.submit"));
    assertThat(audit.recent(10))
        .extracting(AuditEntry::target)
        .containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void a_rerun_and_a_task_started_for_someone_else_are_audited_with_their_origin_and_actor() {
    AuditStore audit = SecurityTables.audit(db);
    TaskService s = auditedService(coordinator, audit);
    TaskRequest plain = new TaskRequest("echo hi", List.of(agent(1)), null, null, null, 0);
    Task first = s.submit(plain, "ops");
    Task rerun =
        s.submit(plain.withScript(plain.script(), TaskOrigin.NONE.withRerunOf(first.id())), "ops");
    Task onBehalf = s.submit(plain, "schedule nightly", "system");

    assertThat(audit.recent(10))
        .extracting(AuditEntry::actor, AuditEntry::action, AuditEntry::target, AuditEntry::detail)
        .containsExactlyInAnyOrder(
            tuple("ops", "task.submit", first.id(), TaskService.submitDetail(first, 1)),
            tuple("ops", "task.rerun", rerun.id(), TaskService.submitDetail(rerun, 1)),
            tuple("system", "task.submit", onBehalf.id(), TaskService.submitDetail(onBehalf, 1)));
    assertThat(TaskService.submitDetail(rerun, 1))
        .isEqualTo("script sha256=" + rerun.scriptSha256() + " rerun_of=" + first.id() + " runs=1");
    assertThat(db.taskStore().findTask(onBehalf.id()).orElseThrow().createdBy())
        .isEqualTo("schedule nightly");
  }

  @Test
  void the_audit_log_file_names_a_submission_only_once_it_is_stored() {
    Logger file = (Logger) LoggerFactory.getLogger("mschedule.audit");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    file.addAppender(lines);
    Level level = file.getLevel();
    file.setLevel(Level.INFO); // the shipped configuration's level
    try {
      AuditStore audit = SecurityTables.audit(db);
      TaskService s = auditedService(coordinator, audit);
      TaskOrigin slot = TaskOrigin.NONE.withSlot("nightly", Instant.parse("2026-01-01T00:00:00Z"));
      TaskRequest plain = new TaskRequest("echo hi", List.of(agent(1)), null, null, null, 0);
      Task stored = s.submit(plain.withScript(plain.script(), slot), "ops");

      // the slot is taken: nothing is stored, so neither the table nor the file may name it
      assertThatThrownBy(() -> s.submit(plain.withScript(plain.script(), slot), "ops"))
          .isInstanceOf(DuplicateSlotException.class);

      assertThat(audit.recent(10)).extracting(AuditEntry::target).containsExactly(stored.id());
      assertThat(lines.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .singleElement()
          .asString()
          .startsWith("ops task.submit " + stored.id() + " script sha256=");
    } finally {
      file.setLevel(level);
      file.detachAppender(lines);
    }
  }

  @Test
  void a_result_handed_to_a_stopped_writer_is_refused_so_the_agent_sends_it_again() {
    Task t = submit(0);
    coordinator.runOnce();
    List<String> answers = new CopyOnWriteArrayList<>();
    events.close();
    events.finished(exited(t, 1, 0), answer(answers, "1"));
    assertThat(answers).singleElement().asString().startsWith("1 failed: the master is stopping");
    assertThat(stored(t, 1).state()).isEqualTo(RunState.RUNNING);
  }

  /** The service the HTTP handler, reruns and schedules use, auditing into {@code audit}. */
  private TaskService auditedService(TaskCoordinator c, AuditStore audit) {
    return new TaskService(
        registry,
        c,
        clock,
        1 << 20,
        1000,
        "2",
        JobScripts.NONE,
        TaskFileRules.none(),
        new DbAuditLog(audit, clock));
  }

  static AgentGateway.Recorded answer(List<String> answers, String name) {
    return new AgentGateway.Recorded() {
      @Override
      public void recorded(boolean fresh) {
        answers.add(name + (fresh ? " fresh" : " duplicate"));
      }

      @Override
      public void failed(RuntimeException error) {
        answers.add(name + " failed: " + error.getMessage());
      }
    };
  }

  static String agent(int i) {
    return String.format("%032x", i);
  }

  Task submit(Object parallel) {
    return service.submit(new TaskRequest("echo hi", List.of("all"), parallel, null, null, 0), "t");
  }

  Run stored(Task t, int agent) {
    return db.taskStore().findRun(t.id(), agent(agent)).orElseThrow();
  }

  TaskState state(Task t) {
    return db.taskStore().findTask(t.id()).orElseThrow().state();
  }

  RunOutcome exited(Task t, int agent, int code) {
    return new RunOutcome(
        t.id(),
        agent(agent),
        code == 0 ? RunState.SUCCEEDED : RunState.FAILED,
        code,
        "out\n".getBytes(StandardCharsets.UTF_8),
        false,
        null);
  }

  @Test
  void a_failed_run_is_retried_after_its_delay_and_a_result_of_the_earlier_attempt_is_ignored() {
    Task t =
        service.submit(
            new TaskRequest(
                Script.of("echo hi"),
                List.of(agent(1)),
                1L,
                null,
                0,
                0,
                null,
                null,
                null,
                List.of(),
                false,
                1,
                5),
            "t");
    coordinator.runOnce();
    assertThat(events.finished(exited(t, 1, 3))).isTrue();
    coordinator.runOnce(); // takes the result in, then retries

    Run waiting = stored(t, 1);
    assertThat(waiting.state()).isEqualTo(RunState.WAITING);
    assertThat(waiting.attempt()).isEqualTo(2);
    assertThat(waiting.retryAt())
        .isBetween(clock.instant().plusSeconds(4), clock.instant().plusSeconds(5));
    assertThat(db.taskStore().attempts(t.id()))
        .singleElement()
        .satisfies(a -> assertThat(a.code()).isEqualTo(3));
    assertThat(state(t)).as("fail_count 0 sees only the last attempt").isEqualTo(TaskState.RUNNING);

    clock.advance(Duration.ofSeconds(5));
    coordinator.runOnce();
    assertThat(gateway.starts).containsExactly(agent(1), agent(1));
    assertThat(stored(t, 1).state()).isEqualTo(RunState.RUNNING);
    assertThat(events.finished(exited(t, 1, 0))).as("a repeated result of attempt 1").isFalse();
    assertThat(stored(t, 1).state()).isEqualTo(RunState.RUNNING);

    RunOutcome second =
        new RunOutcome(
            t.id(),
            agent(1),
            RunState.SUCCEEDED,
            0,
            "ok\n".getBytes(StandardCharsets.UTF_8),
            false,
            null,
            List.of(),
            2);
    assertThat(events.finished(second)).isTrue();
    coordinator.runOnce();
    assertThat(state(t)).isEqualTo(TaskState.SUCCEEDED);
    assertThat(db.taskStore().output(t.id(), agent(1))).asString().isEqualTo("ok\n");
  }

  @Test
  void a_task_whose_agents_are_linked_is_stored_started_with_its_first_runs() {
    List<String> writes = new CopyOnWriteArrayList<>();
    TaskCoordinator c = coordinatorNoting(writes);
    TaskService s = new TaskService(registry, c, clock, 1 << 20, 1000, "2");
    Task t = s.submit(new TaskRequest("echo hi", List.of("all"), 2, null, null, 0), "t");

    assertThat(t.state()).as("the task as stored and answered").isEqualTo(TaskState.RUNNING);
    assertThat(writes).containsExactly("insertAll [RUNNING, runs RUNNING RUNNING WAITING]");
    assertThat(gateway.starts).as("orders leave from the coordinator's thread").isEmpty();

    c.runOnce();

    assertThat(gateway.starts).containsExactly(agent(1), agent(2));
    assertThat(writes).as("the start cost no write of its own").hasSize(1);
    assertThat(state(t)).isEqualTo(TaskState.RUNNING);
    assertThat(stored(t, 1).state()).isEqualTo(RunState.RUNNING);
    assertThat(stored(t, 1).startedAt()).isEqualTo(clock.instant());
    assertThat(stored(t, 3).state()).isEqualTo(RunState.WAITING);

    assertThat(
            new ResultRecorder(db.taskStore(), new TaskEvents(), c, clock).record(exited(t, 1, 0)))
        .isTrue();
    c.runOnce();
    assertThat(gateway.starts)
        .as("the window moves on")
        .containsExactly(agent(1), agent(2), agent(3));
  }

  @Test
  void a_task_whose_agent_has_no_link_is_stored_pending_and_started_by_a_pass() {
    List<String> writes = new CopyOnWriteArrayList<>();
    TaskCoordinator c = coordinatorNoting(writes);
    TaskService s = new TaskService(registry, c, clock, 1 << 20, 1000, "2");
    gateway.unlinked.add(agent(3));
    Task t = s.submit(new TaskRequest("true", List.of("all"), 0, null, null, 0), "t");
    assertThat(t.state()).isEqualTo(TaskState.PENDING);
    assertThat(writes).containsExactly("insertAll [PENDING, runs WAITING WAITING WAITING]");

    c.runOnce();
    assertThat(gateway.starts)
        .as("linked agents do not wait for the others")
        .containsExactly(agent(1), agent(2));
    assertThat(state(t)).isEqualTo(TaskState.RUNNING);
    assertThat(stored(t, 3).state()).isEqualTo(RunState.WAITING);

    gateway.unlinked.clear();
    c.runOnce();
    assertThat(gateway.starts).containsExactly(agent(1), agent(2), agent(3));
    assertThat(stored(t, 3).state()).isEqualTo(RunState.RUNNING);
  }

  @Test
  void the_tasks_a_pass_starts_or_ends_are_stored_in_one_transaction_each() {
    List<String> writes = new CopyOnWriteArrayList<>();
    TaskCoordinator c = coordinatorNoting(writes);
    TaskService s = new TaskService(registry, c, clock, 1 << 20, 1000, "2");
    gateway.unlinked.addAll(List.of(agent(1), agent(2), agent(3))); // stored pending
    Task one = s.submit(new TaskRequest("true", List.of(agent(1)), 0, null, null, 0), "t");
    Task two =
        s.submit(new TaskRequest("true", List.of(agent(2), agent(3)), 0, null, null, 0), "t");
    gateway.unlinked.clear();
    writes.clear();

    c.runOnce();

    assertThat(writes).containsExactly("startTasks [1 runs, 2 runs]");
    assertThat(gateway.starts).containsExactlyInAnyOrder(agent(1), agent(2), agent(3));
    assertThat(state(one)).isEqualTo(TaskState.RUNNING);
    assertThat(state(two)).isEqualTo(TaskState.RUNNING);

    writes.clear();
    ResultRecorder results = new ResultRecorder(db.taskStore(), new TaskEvents(), c, clock);
    assertThat(results.record(exited(one, 1, 0))).isTrue();
    assertThat(results.record(exited(two, 2, 0))).isTrue();
    assertThat(results.record(exited(two, 3, 1))).isTrue();
    c.runOnce();

    assertThat(writes).containsExactly("updateTasks [SUCCEEDED, FAILED]");
    assertThat(state(one)).isEqualTo(TaskState.SUCCEEDED);
    assertThat(state(two)).isEqualTo(TaskState.FAILED);
    assertThat(c.activeTasks()).isZero();
  }

  /** A coordinator whose store notes its task writes: name and what each item holds. */
  private TaskCoordinator coordinatorNoting(List<String> writes) {
    TaskStore real = db.taskStore();
    TaskStore noted =
        (TaskStore)
            Proxy.newProxyInstance(
                TaskStore.class.getClassLoader(),
                new Class<?>[] {TaskStore.class},
                (proxy, method, args) -> {
                  String name = method.getName();
                  if (name.equals("insertAll")) {
                    for (Object o : (List<?>) args[0]) {
                      NewTask n = (NewTask) o;
                      writes.add(
                          name
                              + " ["
                              + n.task().state()
                              + ", runs "
                              + String.join(
                                  " ", n.runs().stream().map(r -> r.state().name()).toList())
                              + "]");
                    }
                  } else if (name.equals("startTasks")) {
                    writes.add(
                        name
                            + " "
                            + ((List<?>) args[0])
                                .stream()
                                    .map(t -> ((TaskStart) t).runs().size() + " runs")
                                    .toList());
                  } else if (name.equals("updateTasks")) {
                    writes.add(
                        name
                            + " "
                            + ((List<?>) args[0])
                                .stream().map(t -> ((TaskChange) t).updated().state()).toList());
                  } else if (name.startsWith("update")) {
                    writes.add(name);
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    return new TaskCoordinator(
        noted, registry, gateway, new TaskEvents(), clock, Duration.ofSeconds(60));
  }

  @Test
  void runs_are_handed_out_within_the_window_and_the_task_ends_when_every_result_is_stored() {
    Task t = submit(2);
    coordinator.runOnce();
    assertThat(gateway.starts).containsExactly(agent(1), agent(2));
    assertThat(state(t)).isEqualTo(TaskState.RUNNING);
    assertThat(stored(t, 1).state()).isEqualTo(RunState.RUNNING);
    assertThat(stored(t, 3).state()).isEqualTo(RunState.WAITING);

    assertThat(events.finished(exited(t, 1, 0))).isTrue();
    coordinator.runOnce();
    assertThat(gateway.starts).containsExactly(agent(1), agent(2), agent(3));
    assertThat(events.finished(exited(t, 2, 0))).isTrue();
    assertThat(events.finished(exited(t, 3, 0))).isTrue();
    assertThat(events.finished(exited(t, 3, 0))).as("a repeated result").isFalse();
    coordinator.runOnce();
    assertThat(state(t)).isEqualTo(TaskState.SUCCEEDED);
    assertThat(coordinator.activeTasks()).isZero();
    assertThat(db.taskStore().output(t.id(), agent(2)))
        .isEqualTo("out\n".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void a_run_that_failed_to_start_keeps_the_agents_reason_and_counts_as_a_failure() {
    Task t =
        service.submit(new TaskRequest("#!/no/such/shell", List.of(agent(1)), 0, null, 0, 0), "t");
    coordinator.runOnce();
    events.finished(
        new RunOutcome(
            t.id(),
            agent(1),
            RunState.FAILED_TO_START,
            null,
            new byte[0],
            false,
            "no /no/such/shell"));
    coordinator.runOnce();
    assertThat(stored(t, 1).state()).isEqualTo(RunState.FAILED_TO_START);
    assertThat(stored(t, 1).error()).isEqualTo("no /no/such/shell");
    assertThat(stored(t, 1).code()).isNull();
    assertThat(state(t)).isEqualTo(TaskState.ABORTED);
  }

  @Test
  void
      a_result_arriving_after_the_run_was_declared_lost_is_kept_as_late_and_changes_nothing_else() {
    Task t = submit(0);
    coordinator.runOnce();
    // past the start-up grace, then agent 1 falls silent while the others keep talking
    clock.advance(TaskCoordinator.MIN_STARTUP_GRACE);
    registry.touch(agent(2));
    registry.touch(agent(3));
    clock.advance(OFFLINE_AFTER.plusSeconds(1));
    registry.touch(agent(2));
    registry.touch(agent(3));
    assertThat(registry.sweep()).containsExactly(agent(1));
    coordinator.runOnce();
    assertThat(stored(t, 1).state()).isEqualTo(RunState.LOST);
    assertThat(stored(t, 1).error()).isEqualTo("agent offline");

    assertThat(events.finished(exited(t, 1, 0))).as("the late result is stored").isTrue();
    Run late = stored(t, 1);
    assertThat(late.state()).isEqualTo(RunState.LOST);
    assertThat(late.late()).isTrue();
    assertThat(late.code()).isZero();
    assertThat(db.taskStore().output(t.id(), agent(1)))
        .isEqualTo("out\n".getBytes(StandardCharsets.UTF_8));
    assertThat(events.finished(exited(t, 1, 0))).as("repeated late result").isFalse();
    events.finished(exited(t, 2, 0));
    events.finished(exited(t, 3, 0));
    coordinator.runOnce();
    assertThat(state(t)).isEqualTo(TaskState.FAILED);
  }

  @Test
  void a_kill_reaches_every_run_in_flight_and_the_task_ends_killed_once_they_report()
      throws Exception {
    Task t = submit(2);
    coordinator.runOnce();
    var killed = coordinator.kill(t.id(), "bob");
    coordinator.runOnce();
    assertThat(killed.get().stopping()).isEqualTo(TaskState.KILLED);
    assertThat(gateway.kills).containsExactly(agent(1), agent(2));
    assertThat(stored(t, 3).state()).isEqualTo(RunState.SKIPPED);
    for (int i = 1; i <= 2; i++) {
      events.finished(
          new RunOutcome(t.id(), agent(i), RunState.KILLED, 143, new byte[0], false, null));
    }
    coordinator.runOnce();
    Task end = db.taskStore().findTask(t.id()).orElseThrow();
    assertThat(end.state()).isEqualTo(TaskState.KILLED);
    assertThat(end.reason()).isEqualTo("killed by bob");
  }

  @Test
  void a_reconnecting_agent_is_handed_its_run_again() {
    Task t = submit(0);
    coordinator.runOnce();
    gateway.starts.clear();
    events.linkUp(agent(2));
    coordinator.runOnce();
    assertThat(gateway.starts).containsExactly(agent(2));
  }

  @Test
  void a_task_that_does_not_say_runs_with_the_masters_default_parallel() {
    Task t = submit(null);
    assertThat(t.parallel()).isEqualTo(2);
    coordinator.runOnce();
    assertThat(gateway.starts).containsExactly(agent(1), agent(2));
  }

  @Test
  void a_result_for_a_run_that_does_not_exist_is_refused() {
    assertThatThrownBy(
            () ->
                events.finished(
                    new RunOutcome(
                        "nope", agent(1), RunState.SUCCEEDED, 0, new byte[0], false, null)))
        .isInstanceOf(ResultRecorder.UnknownRunException.class)
        .hasMessageContaining("no run of task nope");
  }

  @Test
  void dispatch_resumes_from_the_store_after_a_restart() {
    Task t = submit(1);
    coordinator.runOnce();
    TaskCoordinator restarted =
        new TaskCoordinator(
            db.taskStore(), registry, gateway, new TaskEvents(), clock, Duration.ofSeconds(60));
    restarted.resume();
    restarted.runOnce();
    assertThat(restarted.activeTasks()).isEqualTo(1);
    gateway.starts.clear();
    restarted.linkUp(agent(1));
    restarted.runOnce();
    assertThat(gateway.starts).containsExactly(agent(1));
    assertThat(stored(t, 2).state()).isEqualTo(RunState.WAITING);
  }
}
