package io.mschedule.bench.jmh;

import io.mschedule.master.store.AuditEntry;
import io.mschedule.master.store.NewTask;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.store.jdbc.Database;
import io.mschedule.master.store.jdbc.DatabaseConfig;
import io.mschedule.master.task.RetryPolicy;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunOutput;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Script;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskFiles;
import io.mschedule.master.task.TaskOrigin;
import io.mschedule.master.task.TaskState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The embedded H2 store's part of a one-agent task's life, as a lone master writes it: the insert
 * of the task started, with its audit entry, the result with its output and the end, each one
 * commit for a batch of {@code batch} tasks (the master's group commits), on a store that already
 * holds {@code preload} tasks. {@code ids}: the master's random task ids, or time-ordered ones
 * (version-7 UUIDs, whose first 12 hex digits are the millisecond: tasks submitted together land in
 * the same index pages). One operation is one batch's life; divide by {@code batch} for a task's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StoreBench {
  @Param({"random", "ordered"})
  public String ids;

  @Param({"1", "8"})
  public int batch;

  @Param({"20000"})
  public int preload;

  private static final byte[] OUTPUT = "host-1\n".getBytes(StandardCharsets.UTF_8);
  private Path dir;
  private Database db;
  private TaskStore store;
  private Instant now = Instant.parse("2026-12-01T00:00:00Z");
  private int agent;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    dir = Files.createTempDirectory("mschedule-storebench");
    db = Database.open(new DatabaseConfig(Database.embeddedUrl(dir), "sa", "", 8));
    store = db.taskStore();
    for (int i = 0; i < preload; i += batch) {
      lives();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    db.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The lives of one batch of one-agent tasks: three commits. */
  @Benchmark
  public void lives() {
    now = now.plusMillis(2);
    List<NewTask> submitted = new ArrayList<>(batch);
    List<TaskStore.Completion> results = new ArrayList<>(batch);
    List<TaskStore.TaskChange> ends = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      String id = ids.equals("ordered") ? ordered(now) : UUID.randomUUID().toString();
      id = id.replace("-", "");
      String agentId = String.format("%032x", agent++ % 100);
      Run running =
          new Run(id, agentId, "host-1", 0, RunState.WAITING, null, false, null, null, null)
              .moveTo(RunState.RUNNING, null, now, null);
      submitted.add(
          new NewTask(
              task(id, TaskState.RUNNING, null),
              List.of(running),
              new AuditEntry(0, now, "bench", "task.submit", id, "{\"targets\":[\"all\"]}")));
      Run done = running.moveTo(RunState.SUCCEEDED, 0, now, now.plusMillis(1));
      results.add(new TaskStore.Completion(done, RunState.RUNNING, RunOutput.stdout(OUTPUT)));
      ends.add(
          new TaskStore.TaskChange(
              task(id, TaskState.SUCCEEDED, now.plusMillis(1)), TaskState.RUNNING, null));
    }
    store.insertAll(submitted, null, null);
    store.completeRuns(results);
    store.updateTasks(ends);
  }

  /** A version-7 UUID (RFC 9562): 48 bits of the millisecond, then random bits. */
  private static String ordered(Instant now) {
    java.util.concurrent.ThreadLocalRandom random =
        java.util.concurrent.ThreadLocalRandom.current();
    long msb = (now.toEpochMilli() << 16) | 0x7000L | random.nextInt(0x1000);
    long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb).toString();
  }

  private Task task(String id, TaskState state, Instant finishedAt) {
    return new Task(
        id,
        state,
        null,
        Script.of("true\n"),
        List.of("all"),
        1,
        null,
        null,
        0,
        now,
        finishedAt,
        "bench",
        null,
        Map.of(),
        TaskOrigin.NONE,
        TaskFiles.NONE,
        RetryPolicy.NONE);
  }
}
