package io.mschedule.master.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.agents.AgentRegistry;
import io.mschedule.master.agents.TestAgents;
import io.mschedule.master.dispatch.RecordingGateway;
import io.mschedule.master.dispatch.ResultRecorder;
import io.mschedule.master.dispatch.RunOutcome;
import io.mschedule.master.dispatch.TaskCoordinator;
import io.mschedule.master.dispatch.TaskService;
import io.mschedule.master.live.TaskEvents;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.store.jdbc.Database;
import io.mschedule.master.store.jdbc.TestDatabase;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskRequest;
import io.mschedule.protocol.test.TestClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first event of a task's live stream, read while a run ends (real H2). */
class TaskEventStreamTest {
  static final String AGENT = String.format("%032x", 1);

  @TempDir Path dir;
  Database db;
  final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  final TaskEvents live = new TaskEvents();
  TaskCoordinator coordinator;
  TaskService service;

  @BeforeEach
  void up() {
    db = Database.open(TestDatabase.migratedH2(dir, 4));
    AgentRegistry registry = new AgentRegistry(db.agentStore(), clock, Duration.ofSeconds(15));
    coordinator =
        new TaskCoordinator(
            db.taskStore(), registry, new RecordingGateway(), live, clock, Duration.ofSeconds(60));
    registry.addListener(coordinator);
    service = new TaskService(registry, coordinator, clock, 1 << 20, 1000, "2");
    registry.register(TestAgents.register(AGENT, "host-1"));
  }

  @AfterEach
  void down() {
    db.close();
  }

  /**
   * The real store; right after the first read of the task's runs or of their outputs, whichever
   * comes first, the run ends with its result and output.
   */
  TaskStore endingBetweenReads(Runnable end) {
    TaskStore real = db.taskStore();
    boolean[] ended = {false};
    return (TaskStore)
        Proxy.newProxyInstance(
            TaskStore.class.getClassLoader(),
            new Class<?>[] {TaskStore.class},
            (proxy, method, args) -> {
              Object value;
              try {
                value = method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              String name = method.getName();
              if (!ended[0] && (name.equals("runs") || name.equals("runOutputs"))) {
                ended[0] = true;
                end.run();
              }
              return value;
            });
  }

  @Test
  void a_run_that_ends_while_the_first_event_is_read_never_shows_as_ended_without_its_output() {
    Task t =
        service.submit(new TaskRequest("echo hello", List.of("all"), 0, null, null, 0), "admin");
    coordinator.runOnce();
    assertThat(db.taskStore().findRun(t.id(), AGENT).orElseThrow().state())
        .isEqualTo(RunState.RUNNING);
    ResultRecorder recorder = new ResultRecorder(db.taskStore(), live, coordinator, clock);
    Runnable end =
        () ->
            assertThat(
                    recorder.record(
                        new RunOutcome(
                            t.id(),
                            AGENT,
                            RunState.SUCCEEDED,
                            0,
                            "hello\n".getBytes(StandardCharsets.UTF_8),
                            false,
                            null)))
                .isTrue();
    TaskEventStream stream =
        new TaskEventStream(endingBetweenReads(end), live, new Views(id -> null), id -> id);

    Views.TaskJson first = stream.snapshot(t, new HashMap<>());

    assertThat(first.runs()).hasSize(1);
    Views.RunJson run = first.runs().get(0);
    // it may show as running (its end follows as an event) but, whatever its state, with its output
    assertThat(run.output()).as("run %s", run.state()).isEqualTo("hello\n");
    assertThat(db.taskStore().findRun(t.id(), AGENT).orElseThrow().state())
        .isEqualTo(RunState.SUCCEEDED);
  }
}
