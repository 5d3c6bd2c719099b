package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mschedule.bench.sim.SimFleet;
import io.mschedule.bench.sim.SimOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A soak: {@code mschedule.soak.agents} simulated agents (200) and one real agent take small tasks
 * back to back for {@code mschedule.soak.seconds} (120 in the build) while the master's heap after
 * GC, open file descriptors and threads are sampled every {@code mschedule.soak.sample.seconds}
 * (10). After a warm-up they must stay flat: nothing may grow with the number of tasks run. With
 * {@code mschedule.soak.csv} the samples are also written there ({@code
 * minute,heap_mb,fds,threads}) for {@code mschedule-bench plot-soak}: the 30-minute benchmark of
 * docs/performance.md is this test with 1,000 agents.
 */
@Tag("chaos")
class ChaosSoakIT {
  static final int SIMULATED = Integer.getInteger("mschedule.soak.agents", 200);
  static final Duration WARM_UP = Duration.ofSeconds(30);
  static final Duration SAMPLE_EVERY =
      Duration.ofSeconds(Long.getLong("mschedule.soak.sample.seconds", 10));

  @TempDir Path dir;

  @Test
  void the_master_stays_flat_under_continuous_small_tasks() throws Exception {
    Duration soak = Duration.ofSeconds(Long.getLong("mschedule.soak.seconds", 120));
    int plainPort = Ports.free();
    List<ProcessSampler.Sample> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Cluster c =
            Cluster.create(dir, 1)
                .masterArgs("--plain-agent-bind", "tcp://127.0.0.1:" + plainPort)
                .masterEnv("MSCHEDULE_OFFLINE_AFTER_MISSED", "5")
                .masterEnv("MSCHEDULE_API_RATE_LIMIT", "0")
                .up(1);
        SimFleet fleet =
            SimFleet.start(
                SimOptions.of("127.0.0.1", plainPort, SIMULATED)
                    .withJoinToken(c.joinToken())
                    .withHeartbeat(Duration.ofSeconds(1)),
                null)) {
      assertThat(fleet.awaitLinked(SIMULATED, Duration.ofSeconds(60)))
          .as("simulated agents linked; last error: %s", fleet.lastError())
          .isTrue();
      c.awaitOnline(SIMULATED + 1, Duration.ofSeconds(60));
      String real = c.agentId(1);

      ProcessSampler sampler = new ProcessSampler(c.master().pid());
      ScheduledExecutorService every = Executors.newSingleThreadScheduledExecutor();
      every.scheduleAtFixedRate(
          () -> samples.add(sampler.sample()), 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      int tasks = 0;
      long end = System.nanoTime() + soak.toNanos();
      try {
        while (System.nanoTime() < end) {
          tasks++;
          String id =
              c.submit(
                  Map.of("script", "echo soak-" + tasks, "targets", List.of("all"), "parallel", 0));
          JsonNode t = c.awaitEnd(id, Duration.ofSeconds(60));
          assertThat(t.get("state").asText()).as("task %d: %s", tasks, id).isEqualTo("SUCCEEDED");
          assertThat(t.get("runs")).hasSize(SIMULATED + 1);
          for (JsonNode r : t.get("runs")) {
            if (r.get("agent_id").asText().equals(real)) {
              assertThat(r.get("output").asText()).isEqualTo("soak-" + tasks + "\n");
            }
          }
        }
      } finally {
        every.shutdown();
        every.awaitTermination(60, TimeUnit.SECONDS);
      }
      samples.add(sampler.sample());
      System.out.printf("soak: %d tasks of %d runs in %s%n", tasks, SIMULATED + 1, soak);
      samples.forEach(s -> System.out.println("soak: master " + s));
      writeCsv(samples);

      List<ProcessSampler.Sample> warm = new ArrayList<>();
      for (ProcessSampler.Sample s : samples) {
        if (s.atSeconds() >= WARM_UP.toSeconds()) {
          warm.add(s);
        }
      }
      assertThat(warm).as("samples after the warm-up").hasSizeGreaterThanOrEqualTo(2);
      ProcessSampler.Sample first = warm.get(0);
      ProcessSampler.Sample last = warm.get(warm.size() - 1);
      assertThat((double) last.fds())
          .as("open fds")
          .isBetween(first.fds() * 0.8, first.fds() * 1.2);
      assertThat((double) last.threads())
          .as("threads")
          .isBetween(first.threads() * 0.8, first.threads() * 1.2);
      assertThat((double) last.heapAfterGcBytes())
          .as("heap after GC")
          .isBetween(first.heapAfterGcBytes() * 0.5, first.heapAfterGcBytes() * 1.5);
      assertThat(c.master().log()).doesNotContain("OutOfMemoryError");
    }
  }

  private static void writeCsv(List<ProcessSampler.Sample> samples) throws java.io.IOException {
    String csv = System.getProperty("mschedule.soak.csv", "");
    if (csv.isBlank()) {
      return;
    }
    StringBuilder out = new StringBuilder("minute,heap_mb,fds,threads\n");
    for (ProcessSampler.Sample s : samples) {
      out.append(
          String.format(
              java.util.Locale.ROOT,
              "%.2f,%.1f,%d,%d%n",
              s.atSeconds() / 60.0,
              s.heapAfterGcBytes() / 1e6,
              s.fds(),
              s.threads()));
    }
    java.nio.file.Files.writeString(Path.of(csv), out);
  }
}
