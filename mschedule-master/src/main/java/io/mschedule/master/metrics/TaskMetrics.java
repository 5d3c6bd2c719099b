package io.mschedule.master.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.mschedule.master.live.TaskEventListener;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskState;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counts tasks and runs as they end, and times runs. Every state is registered up front (at zero),
 * so a rate over a state that has not happened yet is 0, not absent. A late result of a lost run is
 * not counted again.
 */
final class TaskMetrics implements TaskEventListener {
  /** Bucket bounds of the run duration histogram. */
  static final Duration[] DURATION_BUCKETS = {
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(15),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(5),
    Duration.ofMinutes(15),
    Duration.ofHours(1),
    Duration.ofHours(6)
  };

  private final Map<TaskState, Counter> tasks = new EnumMap<>(TaskState.class);
  private final Map<RunState, Counter> runs = new EnumMap<>(RunState.class);
  private final Timer runDuration;

  TaskMetrics(MeterRegistry registry) {
    for (TaskState s : TaskState.values()) {
      if (s.isFinal()) {
        tasks.put(
            s,
            Counter.builder("mschedule.tasks")
                .description("Tasks that ended, by final state")
                .tag("state", label(s))
                .register(registry));
      }
    }
    for (RunState s : RunState.values()) {
      if (s.isFinal()) {
        runs.put(
            s,
            Counter.builder("mschedule.runs")
                .description("Runs that ended, by final state")
                .tag("state", label(s))
                .register(registry));
      }
    }
    runDuration =
        Timer.builder("mschedule.run.duration")
            .description("How long runs took, from start to end")
            .serviceLevelObjectives(DURATION_BUCKETS)
            .register(registry);
  }

  private static String label(Enum<?> state) {
    return state.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public void onTask(Task task) {
    Counter c = tasks.get(task.state());
    if (c != null) {
      c.increment();
    }
  }

  @Override
  public void onRun(Run run, byte[] output) {
    Counter c = runs.get(run.state());
    if (c == null || run.late()) {
      return;
    }
    c.increment();
    if (run.startedAt() != null && run.finishedAt() != null) {
      runDuration.record(Duration.between(run.startedAt(), run.finishedAt()));
    }
  }

  @Override
  public void onOutput(String agentId, long seq, byte[] data) {}
}
