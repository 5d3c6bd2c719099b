package io.mschedule.master.dispatch;

import static io.mschedule.master.dispatch.TaskCoordinatorTest.agent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mschedule.master.agents.AgentRegistry;
import io.mschedule.master.agents.TestAgents;
import io.mschedule.master.live.TaskEvents;
import io.mschedule.master.store.LeaseLostException;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.store.jdbc.Database;
import io.mschedule.master.store.jdbc.TestDatabase;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskRequest;
import io.mschedule.master.task.TaskState;
import io.mschedule.protocol.test.TestClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two masters' coordinators on one database, each with a lease per task: one drives a task, the
 * other takes it over once the first stops renewing, and the first, waking up, changes nothing.
 */
class LeasedTakeoverTest {
  static final Duration TTL = Duration.ofSeconds(1);

  @TempDir Path dir;
  Database db;
  Master a;
  Master b;

  /** One master's dispatch: its own clock, registry, gateway and coordinator. */
  final class Master {
    final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    final AgentRegistry registry =
        new AgentRegistry(db.agentStore(), clock, Duration.ofSeconds(15));
    final RecordingGateway gateway = new RecordingGateway();
    final TaskEvents live = new TaskEvents();
    final TaskCoordinator coordinator;
    final DispatchEvents events;
    final TaskService service;

    Master(String id) {
      this(id, db.taskStore());
    }

    Master(String id, TaskStore tasks) {
      coordinator =
          new TaskCoordinator(
              tasks,
              registry,
              gateway,
              live,
              clock,
              Duration.ofSeconds(60),
              new LeasedOwnership(tasks, db.leaseStore(), id, TTL));
      events =
          new DispatchEvents(
              coordinator, new ResultRecorder(db.taskStore(), live, coordinator, clock), live);
      service = new TaskService(registry, coordinator, clock, 1 << 20, 1000, "1");
      for (int i = 1; i <= 3; i++) {
        registry.register(TestAgents.register(agent(i), "host-" + i));
      }
    }

    /** One pass, a little later than the last (lease renewals and scans are due again). */
    void pass() {
      clock.advance(TTL);
      coordinator.runOnce();
    }
  }

  @BeforeEach
  void up() {
    db = Database.open(TestDatabase.migratedH2(dir, 4));
    a = new Master("m-a");
    b = new Master("m-b");
  }

  @AfterEach
  void down() {
    a.events.close();
    b.events.close();
    db.close();
  }

  RunOutcome succeeded(Task t, int agent) {
    return new RunOutcome(
        t.id(),
        agent(agent),
        RunState.SUCCEEDED,
        0,
        "out\n".getBytes(StandardCharsets.UTF_8),
        false,
        null);
  }

  RunState run(Task t, int agent) {
    return db.taskStore().findRun(t.id(), agent(agent)).orElseThrow().state();
  }

  @Test
  void a_task_is_driven_by_one_master_and_taken_over_when_it_stops_renewing() throws Exception {
    Task t =
        a.service.submit(new TaskRequest("echo hi", List.of("all"), 1, null, null, 0), "alice");
    a.pass();
    b.pass();
    assertThat(a.coordinator.activeTasks()).isEqualTo(1);
    assertThat(b.coordinator.activeTasks()).isZero();
    assertThat(a.gateway.starts).containsExactly(agent(1));
    assertThat(b.gateway.starts).isEmpty();

    // a stops (paused: no pass); its lease runs out on the database's clock
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> db.leaseStore().unowned(10).contains(t.id()));
    b.pass();
    assertThat(b.coordinator.activeTasks()).isEqualTo(1);

    // the run a started goes on; its result reaches b, which hands out the next run
    assertThat(b.events.finished(succeeded(t, 1))).isTrue();
    b.pass();
    assertThat(b.gateway.starts).contains(agent(2));
    assertThat(run(t, 2)).isEqualTo(RunState.RUNNING);

    // a wakes up: its kill is refused by the fence, and it lets the task go
    var kill = a.coordinator.kill(t.id(), "late");
    a.coordinator.runOnce();
    assertThat(kill)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(LeaseLostException.class);
    assertThat(a.coordinator.activeTasks()).isZero();
    Task stored = db.taskStore().findTask(t.id()).orElseThrow();
    assertThat(stored.stopping()).isNull();
    assertThat(db.leaseStore().claim(t.id(), "m-a", TTL)).isEmpty();

    // b ends the task alone
    b.events.finished(succeeded(t, 2));
    b.pass();
    b.events.finished(succeeded(t, 3));
    b.pass();
    assertThat(db.taskStore().findTask(t.id()).orElseThrow().state())
        .isEqualTo(TaskState.SUCCEEDED);
    assertThat(a.gateway.starts).containsExactly(agent(1));
  }

  @Test
  void a_master_that_holds_none_of_the_agents_waits_before_taking_over() {
    Task t =
        a.service.submit(new TaskRequest("echo hi", List.of("all"), 1, null, null, 0), "alice");
    a.pass();
    b.gateway.unlinked.addAll(List.of(agent(1), agent(2), agent(3)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> db.leaseStore().unowned(10).contains(t.id()));
    b.pass();
    assertThat(b.coordinator.activeTasks()).isZero(); // another master may hold its agents
    b.clock.advance(Duration.ofSeconds(15));
    b.coordinator.runOnce();
    assertThat(b.coordinator.activeTasks()).isEqualTo(1);
  }

  @Test
  void a_kill_asked_for_through_another_master_is_carried_out_by_the_master_driving_the_task()
      throws Exception {
    Task t =
        a.service.submit(new TaskRequest("sleep 60", List.of("all"), 1, null, null, 0), "alice");
    a.pass();
    b.pass();
    var killing = b.coordinator.kill(t.id(), "bob");
    b.coordinator.runOnce();
    Task seen = killing.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(seen.state()).isEqualTo(TaskState.RUNNING); // as stored: b does not drive it
    assertThat(b.coordinator.activeTasks()).isZero();
    assertThat(b.gateway.kills).isEmpty();

    a.pass(); // a finds the request on the lease and stops the task
    assertThat(a.gateway.kills).containsExactly(agent(1));
    Task stored = db.taskStore().findTask(t.id()).orElseThrow();
    assertThat(stored.stopping()).isEqualTo(TaskState.KILLED);
    assertThat(stored.reason()).isEqualTo("killed by bob");
  }

  @Test
  void a_task_whose_lease_is_lost_as_a_pass_ends_it_is_dropped_and_the_others_end() {
    AtomicReference<String> steal = new AtomicReference<>();
    TaskStore real = db.taskStore();
    TaskStore stealing =
        (TaskStore)
            Proxy.newProxyInstance(
                TaskStore.class.getClassLoader(),
                new Class<?>[] {TaskStore.class},
                (proxy, method, args) -> {
                  String taskId = steal.getAndSet(null);
                  if (method.getName().equals("updateTasks") && taskId != null) {
                    takeLease(taskId, "m-b");
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    a.events.close();
    a = new Master("m-a", stealing);
    Task one = a.service.submit(new TaskRequest("true", List.of(agent(1)), 0, null, null, 0), "t");
    Task two = a.service.submit(new TaskRequest("true", List.of(agent(2)), 0, null, null, 0), "t");
    a.pass();
    assertThat(a.gateway.starts).containsExactlyInAnyOrder(agent(1), agent(2));
    assertThat(a.events.finished(succeeded(one, 1))).isTrue();
    assertThat(a.events.finished(succeeded(two, 2))).isTrue();

    steal.set(one.id()); // taken over between the pass's plans and its writes
    a.coordinator.runOnce();

    assertThat(a.coordinator.activeTasks()).isZero();
    assertThat(db.taskStore().findTask(one.id()).orElseThrow().state())
        .as("not ended by a master that lost it")
        .isEqualTo(TaskState.RUNNING);
    assertThat(db.taskStore().findTask(two.id()).orElseThrow().state())
        .isEqualTo(TaskState.SUCCEEDED);
  }

  /** Moves a task's lease to {@code masterId}, as a takeover does. */
  private void takeLease(String taskId, String masterId) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE task_leases SET master_id = ?, epoch = epoch + 1 WHERE task_id = ?")) {
      ps.setString(1, masterId);
      ps.setString(2, taskId);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }
}
