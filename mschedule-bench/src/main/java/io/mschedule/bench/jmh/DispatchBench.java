package io.mschedule.bench.jmh;

import io.mschedule.master.agents.AgentRegistry;
import io.mschedule.master.agents.AgentView;
import io.mschedule.master.agents.TargetSelector;
import io.mschedule.master.dispatch.AgentGateway;
import io.mschedule.master.dispatch.TaskCoordinator;
import io.mschedule.master.live.TaskEvents;
import io.mschedule.master.store.AgentRecord;
import io.mschedule.master.store.AgentStore;
import io.mschedule.master.store.NewTask;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskState;
import io.mschedule.protocol.message.MessageTypes;
import io.mschedule.protocol.message.Register;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The dispatch decision: {@link TaskCoordinator} handing out a task's runs to N linked agents
 * ({@code parallel 0}) in one pass, and the pass that follows each result while N runs are in
 * flight. The store is a no-op and the gateway only counts orders, so this is the coordinator's own
 * CPU cost (its database writes are measured by the end-to-end benchmarks).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatchBench {
  @Param({"100", "1000", "10000"})
  public int agents;

  private AgentRegistry registry;
  private CountingGateway links;
  private List<String> ids;
  private final Clock clock = Clock.systemUTC();
  private int seq;

  // resultPass: a coordinator with `agents` runs in flight
  private TaskCoordinator busy;
  private List<Run> running;
  private int next;

  @Setup(Level.Trial)
  public void setup() {
    registry = new AgentRegistry(new NoAgentStore(), clock, Duration.ofSeconds(15));
    links = new CountingGateway();
    ids = new ArrayList<>();
    for (int i = 0; i < agents; i++) {
      String id = String.format("%032x", i + 1);
      ids.add(id);
      registry.register(
          new Register(
              id,
              String.format("host-%05d", i),
              List.of("10.0.0.1"),
              Map.of(),
              "1",
              MessageTypes.PROTOCOL_VERSION,
              List.of(),
              null));
    }
    busy = coordinator();
    Task t = task();
    busy.submit(t, runs(t), null);
    busy.runOnce(); // all runs RUNNING now
    running = new ArrayList<>();
    Instant now = clock.instant();
    for (Run r : runs(t)) {
      running.add(r.moveTo(RunState.RUNNING, null, now, null));
    }
  }

  private TaskCoordinator coordinator() {
    return new TaskCoordinator(
        new NoTaskStore(), registry, links, new TaskEvents(), clock, Duration.ofSeconds(60));
  }

  private Task task() {
    String id = String.format("%032x", ++seq);
    return new Task(
        id,
        TaskState.PENDING,
        null,
        "true\n",
        List.of("all"),
        0,
        null,
        null,
        0,
        clock.instant(),
        null,
        null,
        null);
  }

  private List<Run> runs(Task t) {
    List<Run> runs = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      runs.add(
          new Run(
              t.id(),
              ids.get(i),
              String.format("host-%05d", i),
              i,
              RunState.WAITING,
              null,
              false,
              null,
              null));
    }
    return runs;
  }

  /** Submit a task for every agent and run the pass that hands all runs out. */
  @Benchmark
  public TaskCoordinator dispatchAll() {
    TaskCoordinator c = coordinator();
    Task t = task();
    c.submit(t, runs(t), null);
    c.runOnce();
    return c;
  }

  /** What a submission to one agent among N does before its insert: select its target by id. */
  @Benchmark
  public List<AgentView> selectOne() {
    return TargetSelector.select(List.of(ids.get(next++ % ids.size())), registry);
  }

  /** One result arrives while N runs are in flight: the coordinator's pass over the task. */
  @Benchmark
  public TaskCoordinator resultPass() {
    Run r = running.get(next++ % running.size());
    busy.runFinished(r); // stays RUNNING: the task never ends, every pass costs the same
    busy.runOnce();
    return busy;
  }

  /** A gateway that reaches every agent and only counts orders. */
  static final class CountingGateway implements AgentGateway {
    long sent;

    @Override
    public boolean start(Task task, Run run) {
      sent++;
      return true;
    }

    @Override
    public boolean kill(Task task, Run run) {
      sent++;
      return true;
    }

    @Override
    public boolean isLinked(String agentId) {
      return true;
    }
  }

  static final class NoAgentStore implements AgentStore {
    @Override
    public void upsertAll(List<AgentRecord> agents) {}

    @Override
    public void touch(Map<String, Instant> lastSeen) {}

    @Override
    public List<AgentRecord> findAll() {
      return List.of();
    }

    @Override
    public Optional<AgentRecord> find(String id) {
      return Optional.empty();
    }

    @Override
    public boolean delete(String id) {
      return false;
    }
  }

  static final class NoTaskStore implements TaskStore {
    @Override
    public List<Boolean> insertAll(List<NewTask> tasks, String masterId, Duration leaseTtl) {
      return tasks.stream().map(t -> true).toList();
    }

    @Override
    public Optional<Task> latestOfSchedule(String schedule) {
      return Optional.empty();
    }

    @Override
    public Optional<Task> findTask(String id) {
      return Optional.empty();
    }

    @Override
    public List<Task> recentTasks(int limit) {
      return List.of();
    }

    @Override
    public List<Task> unfinishedTasks() {
      return List.of();
    }

    @Override
    public List<Run> runs(String taskId) {
      return List.of();
    }

    @Override
    public Optional<Run> findRun(String taskId, String agentId) {
      return Optional.empty();
    }

    @Override
    public boolean updateTask(Task updated, TaskState expected) {
      return true;
    }

    @Override
    public boolean updateRun(Run updated, RunState expected) {
      return true;
    }

    @Override
    public boolean completeRun(Run finished, RunState expected, byte[] output) {
      return true;
    }

    @Override
    public byte[] output(String taskId, String agentId) {
      return new byte[0];
    }

    @Override
    public Map<String, byte[]> outputs(String taskId) {
      return Map.of();
    }
  }
}
