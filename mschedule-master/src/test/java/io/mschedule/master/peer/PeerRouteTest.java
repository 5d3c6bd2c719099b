package io.mschedule.master.peer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.agents.AgentRegistry;
import io.mschedule.master.agents.TestAgents;
import io.mschedule.master.dispatch.AgentGateway;
import io.mschedule.master.dispatch.DispatchEvents;
import io.mschedule.master.dispatch.LeasedOwnership;
import io.mschedule.master.dispatch.ResultRecorder;
import io.mschedule.master.dispatch.RunOutcome;
import io.mschedule.master.dispatch.TaskCoordinator;
import io.mschedule.master.dispatch.TaskService;
import io.mschedule.master.live.LiveChunk;
import io.mschedule.master.live.TaskEventListener;
import io.mschedule.master.live.TaskEvents;
import io.mschedule.master.store.jdbc.Database;
import io.mschedule.master.store.jdbc.TestDatabase;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskRequest;
import io.mschedule.master.task.TaskState;
import io.mschedule.protocol.test.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two masters on one database, the agents all connected to master B: a task master A drives reaches
 * them through {@code run_orders}, their results come back to A, and kills go the same way; their
 * live output reaches A's viewers through {@code live_output}.
 */
class PeerRouteTest {
  @TempDir Path dir;
  Database db;
  Master a;
  Master b;

  /** The direct route of one master: which agents are connected to it, what it was told. */
  static final class Links implements AgentGateway {
    final Set<String> linked = new HashSet<>();
    final List<String> starts = new ArrayList<>();
    final List<String> kills = new ArrayList<>();

    @Override
    public boolean start(Task task, Run run) {
      starts.add(run.agentId() + "#" + run.attempt());
      return isLinked(run.agentId());
    }

    @Override
    public boolean kill(Task task, Run run) {
      kills.add(run.agentId());
      return isLinked(run.agentId());
    }

    @Override
    public boolean isLinked(String agentId) {
      return linked.contains(agentId);
    }
  }

  /** One master's dispatch with the peer route, as MasterServer wires it on PostgreSQL. */
  final class Master {
    final String id;
    final TestClock clock = new TestClock(Instant.now());
    final AgentRegistry registry =
        new AgentRegistry(db.agentStore(), clock, Duration.ofSeconds(15));
    final Links links = new Links();
    final TaskEvents live = new TaskEvents();
    final TaskCoordinator coordinator;
    final AgentGateway.Events events;
    final PeerOrderPump pump;
    final PeerGateway outgoing;
    final OrderQueue notices;
    final PeerOutput output;
    final TaskService service;

    Master(String id) {
      this.id = id;
      db.masterStore().register(id, "tcp://" + id + ":5555", "http://" + id + ":8080");
      PeerDirectory peers =
          new PeerDirectory(
              db.runOrderStore(), id, Duration.ofMinutes(1), Duration.ofMinutes(1), clock);
      outgoing = new PeerGateway(db.runOrderStore(), peers);
      notices = new OrderQueue(batch -> db.runOrderStore().ended(batch, id), "ends");
      coordinator =
          new TaskCoordinator(
              db.taskStore(),
              registry,
              new RoutingGateway(links, outgoing),
              live,
              clock,
              Duration.ofSeconds(60),
              new LeasedOwnership(db.taskStore(), db.leaseStore(), id, Duration.ofMinutes(1)));
      registry.heldElsewhere(agentId -> peers.masterOf(agentId) != null);
      output = new PeerOutput(db.liveOutputStore(), db.taskStore(), live, id, clock);
      pump =
          new PeerOrderPump(
              db.runOrderStore(),
              db.taskStore(),
              links,
              coordinator::runFinished,
              live::run,
              id,
              () -> {
                notices.flush();
                outgoing.flush();
              },
              output::pass);
      events =
          new PeerResults(
              new DispatchEvents(
                  coordinator, new ResultRecorder(db.taskStore(), live, coordinator, clock), live),
              notices,
              pump,
              output);
      service = new TaskService(registry, coordinator, clock, 1 << 20, 1000, "1");
    }

    /** Connects agent {@code i} to this master. */
    void connect(int i) {
      registry.register(TestAgents.register(agent(i), "host-" + i));
      links.linked.add(agent(i));
      db.masterStore().agentsOn(List.of(agent(i)), id);
    }

    /** Learns which master holds each agent, as the cluster heartbeat does. */
    void heartbeat() {
      registry.masters(db.masterStore().agentMasters(id));
    }

    /** One pass of the coordinator, a second later (peers are read again). */
    void pass() {
      clock.advance(Duration.ofSeconds(1));
      coordinator.runOnce();
      outgoing.flush(); // what this master's pump does first when woken
    }
  }

  static String agent(int i) {
    return String.format("%032x", i);
  }

  @BeforeEach
  void up() {
    db = Database.open(TestDatabase.migratedH2(dir, 4));
    a = new Master("m-a");
    b = new Master("m-b");
    b.connect(1);
    b.connect(2);
    a.heartbeat();
  }

  @AfterEach
  void down() {
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

  Task stored(Task t) {
    return db.taskStore().findTask(t.id()).orElseThrow();
  }

  @Test
  void agents_of_another_master_are_known_online_and_targeted_here() {
    var seen = a.registry.find(agent(1)).orElseThrow();
    assertThat(seen.online()).isTrue();
    assertThat(seen.master()).isEqualTo("m-b");
    Task t = a.service.submit(new TaskRequest("echo hi", List.of("all"), 2, null, null, 0), "op");
    assertThat(db.taskStore().runs(t.id())).hasSize(2);
  }

  @Test
  void a_task_reaches_agents_of_another_master_and_ends_with_their_results() {
    Task t = a.service.submit(new TaskRequest("echo hi", List.of("all"), 1, null, null, 0), "op");
    a.pass();
    assertThat(a.links.starts).isEmpty();
    assertThat(b.links.starts).isEmpty();

    b.pump.runOnce();
    assertThat(b.links.starts).containsExactly(agent(1) + "#1");
    assertThat(b.live.isRunning(t.id(), agent(1))).as("output accepted on b").isTrue();
    b.pump.runOnce();
    assertThat(b.links.starts).as("an order is delivered once").hasSize(1);

    // the result reaches b; a hears of it and hands out the next run (parallel 1)
    assertThat(b.events.finished(succeeded(t, 1))).isTrue();
    b.notices.flush(); // what b's pump does first when woken
    a.pump.runOnce();
    a.pass();
    b.pump.runOnce();
    assertThat(b.links.starts).containsExactly(agent(1) + "#1", agent(2) + "#1");

    assertThat(b.events.finished(succeeded(t, 2))).isTrue();
    b.notices.flush(); // what b's pump does first when woken
    a.pump.runOnce();
    a.pass();
    assertThat(stored(t).state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(a.coordinator.activeTasks()).isZero();
  }

  @Test
  void an_end_whose_notice_was_lost_with_its_master_is_read_back_from_the_store() {
    Task t = a.service.submit(new TaskRequest("echo hi", List.of("all"), 0, null, null, 0), "op");
    a.pass();
    b.pump.runOnce();
    assertThat(b.links.starts).hasSize(2);
    // b stores both results, then stops before writing the notices: a is not told
    assertThat(b.events.finished(succeeded(t, 1))).isTrue();
    assertThat(b.events.finished(succeeded(t, 2))).isTrue();
    a.pump.runOnce();
    a.pass();
    assertThat(stored(t).state().isFinal()).isFalse();

    a.clock.advance(TaskCoordinator.RECHECK_ELSEWHERE);
    a.pass();
    assertThat(stored(t).state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(a.coordinator.activeTasks()).isZero();
  }

  /** What a viewer of a task on one master sees of its live output. */
  static final class Viewer implements TaskEventListener {
    final List<String> chunks = new CopyOnWriteArrayList<>();

    @Override
    public void onTask(Task task) {}

    @Override
    public void onRun(Run run, byte[] output) {}

    @Override
    public void onOutput(String agentId, long seq, byte[] data) {
      throw new UnsupportedOperationException("output comes as live chunks");
    }

    @Override
    public void onOutput(String agentId, LiveChunk c) {
      chunks.add(
          agentId.substring(31)
              + " #"
              + c.seq()
              + " @"
              + c.offset()
              + " "
              + c.stream()
              + " "
              + new String(c.data(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void live_output_received_on_the_agents_master_reaches_viewers_of_the_master_driving_the_task()
      throws Exception {
    Task t = a.service.submit(new TaskRequest("echo hi", List.of("all"), 2, null, null, 0), "op");
    a.pass();
    b.pump.runOnce();
    assertThat(a.live.isRunning(t.id(), agent(1))).isTrue();
    Viewer onA = new Viewer();
    Viewer onB = new Viewer();
    try (AutoCloseable viewA = a.live.subscribe(t.id(), onA);
        AutoCloseable viewB = b.live.subscribe(t.id(), onB)) {
      b.events.output(t.id(), agent(1), 0, 0, false, "hello\n".getBytes(StandardCharsets.UTF_8));
      b.events.output(t.id(), agent(1), 1, 6, true, "oops\n".getBytes(StandardCharsets.UTF_8));
      b.events.output(t.id(), agent(2), 0, "two\n".getBytes(StandardCharsets.UTF_8));
      assertThat(onA.chunks).as("nothing before the pumps' passes").isEmpty();

      b.pump.runOnce(); // writes
      a.pump.runOnce(); // reads
      assertThat(onA.chunks)
          .containsExactly(
              "1 #0 @0 STDOUT hello\n", "1 #1 @6 STDERR oops\n", "2 #0 @0 STDOUT two\n");
      assertThat(new String(a.live.liveOutput(t.id()).get(agent(1)).output(), UTF_8))
          .as("kept for late viewers")
          .isEqualTo("hello\noops\n");

      a.pump.runOnce();
      b.pump.runOnce();
      assertThat(onA.chunks).as("read once").hasSize(3);
      assertThat(onB.chunks).as("not echoed back to the agents' master").hasSize(3);
      assertThat(db.liveOutputStore().read(Set.of(t.id()), 0, "none", 100))
          .as("nothing written back")
          .hasSize(3)
          .allMatch(c -> c.masterId().equals("m-b"));
    }
  }

  @Test
  void a_master_without_viewers_of_a_task_does_not_read_its_output_and_a_new_viewer_gets_it() {
    Task t = a.service.submit(new TaskRequest("echo hi", List.of("all"), 2, null, null, 0), "op");
    a.pass();
    b.pump.runOnce();
    b.events.output(t.id(), agent(1), 0, 0, false, "early\n".getBytes(StandardCharsets.UTF_8));
    b.pump.runOnce();
    a.pump.runOnce();
    assertThat(a.live.liveOutput(t.id())).isEmpty();

    Viewer late = new Viewer();
    try (AutoCloseable view = a.live.subscribe(t.id(), late)) {
      a.pump.runOnce();
      assertThat(late.chunks).containsExactly("1 #0 @0 STDOUT early\n");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void a_third_master_follows_live_output_for_its_viewers_and_forgets_it_when_they_leave()
      throws Exception {
    Master c = new Master("m-c"); // neither drives the task nor holds its agents
    Task t = a.service.submit(new TaskRequest("echo hi", List.of("all"), 2, null, null, 0), "op");
    a.pass();
    b.pump.runOnce();
    Viewer viewer = new Viewer();
    try (AutoCloseable view = c.live.subscribe(t.id(), viewer)) {
      b.events.output(t.id(), agent(1), 0, 0, false, "one\n".getBytes(StandardCharsets.UTF_8));
      b.pump.runOnce();
      c.pump.runOnce();
      assertThat(viewer.chunks).containsExactly("1 #0 @0 STDOUT one\n");
      assertThat(c.live.liveOutput(t.id())).containsKey(agent(1));
      c.pump.runOnce(); // the rows read again are skipped
      assertThat(viewer.chunks).hasSize(1);
    }
    c.pump.runOnce();
    assertThat(c.live.isRunning(t.id(), agent(1))).as("forgotten with its last viewer").isFalse();
    assertThat(c.live.liveOutput(t.id())).isEmpty();
  }

  @Test
  void a_kill_reaches_runs_on_agents_of_another_master() throws Exception {
    Task t = a.service.submit(new TaskRequest("sleep 60", List.of("all"), 2, null, null, 0), "op");
    a.pass();
    b.pump.runOnce();
    assertThat(b.links.starts).hasSize(2);

    a.coordinator.kill(t.id(), "op");
    a.pass();
    b.pump.runOnce();
    assertThat(b.links.kills).containsExactlyInAnyOrder(agent(1), agent(2));
  }

  @Test
  void an_agent_linking_to_its_master_is_handed_its_runs_of_tasks_driven_elsewhere_again() {
    Task t = a.service.submit(new TaskRequest("sleep 60", List.of("all"), 2, null, null, 0), "op");
    a.pass();
    b.pump.runOnce();
    assertThat(b.links.starts).containsExactlyInAnyOrder(agent(1) + "#1", agent(2) + "#1");

    b.pump.linkUp(agent(1));
    b.pump.runOnce();
    assertThat(b.links.starts).hasSize(3).endsWith(agent(1) + "#1");
    assertThat(stored(t).state()).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void an_order_for_an_agent_not_connected_waits_for_it() {
    b.links.linked.remove(agent(1));
    a.service.submit(new TaskRequest("echo hi", List.of("all"), 2, null, null, 0), "op");
    a.pass();
    b.pump.runOnce();
    assertThat(b.links.starts).containsExactly(agent(2) + "#1");

    b.links.linked.add(agent(1));
    b.pump.runOnce();
    assertThat(b.links.starts).containsExactly(agent(2) + "#1", agent(1) + "#1");
  }
}
