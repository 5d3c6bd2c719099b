package io.mschedule.bench;

import io.mschedule.cli.client.EventListener;
import io.mschedule.cli.client.EventStream;
import io.mschedule.cli.client.MasterClient;
import io.mschedule.cli.client.Parallel;
import io.mschedule.cli.client.Run;
import io.mschedule.cli.client.RunState;
import io.mschedule.cli.client.Task;
import io.mschedule.cli.client.TaskRequest;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Latency of one small task: real agents, each its own JVM ({@code mschedule agent}, with the
 * launcher's agent JVM options by default), run {@code true}; tasks go one at a time, each timed
 * from submit to its final state as {@code mschedule run} sees it over the event stream. The floor,
 * measured in the same run and alternating with the tasks: {@code /bin/sh -c true} started from
 * Java once (for one agent) or N at once (for N agents), waited for.
 */
public final class LatencyBench {

  /** The launcher's JVM options for {@code mschedule agent} (bin/mschedule). */
  public static final List<String> AGENT_JVM =
      List.of(
          "-Xms8m",
          "-Xmx64m",
          "-XX:MaxMetaspaceSize=48m",
          "-Xss256k",
          "-XX:TieredStopAtLevel=1",
          "-XX:CICompilerCount=1",
          "-XX:ReservedCodeCacheSize=16m",
          "-XX:+UseSerialGC",
          "-Xshare:auto");

  /** Settings of one latency benchmark. */
  public record Options(
      List<Integer> agentCounts,
      int tasks,
      int warmup,
      Path workDir,
      List<String> masterJvm,
      List<String> agentJvm,
      String token,
      Duration timeout) {}

  /** The figures for N agents, in milliseconds. */
  public record SizeResult(
      int n, double p50, double p90, double floorP50, double floorP90, int tasks) {}

  private final Options o;
  private final Results results;
  private final PrintStream out;

  public LatencyBench(Options options, Results results, PrintStream out) {
    this.o = options;
    this.results = results;
    this.out = out;
  }

  public List<SizeResult> run() throws Exception {
    List<SizeResult> all = new ArrayList<>();
    for (int n : o.agentCounts()) {
      all.add(runSize(n));
    }
    out.println();
    out.println(
        "latency, `true` one task at a time: submit -> task final, ms (load average "
            + ProcStat.loadAverage()
            + "; a shared machine makes these noisy)");
    out.printf(
        "%6s  %8s  %12s  %12s  %12s  %12s%n",
        "agents", "tasks", "median", "p90", "floor median", "floor p90");
    for (SizeResult r : all) {
      out.printf(
          "%6d  %8d  %12.1f  %12.1f  %12.1f  %12.1f%n",
          r.n(), r.tasks(), r.p50(), r.p90(), r.floorP50(), r.floorP90());
    }
    return all;
  }

  private SizeResult runSize(int n) throws Exception {
    Path root = o.workDir().resolve("latency-" + n + "-" + System.currentTimeMillis());
    out.printf(
        "latency N=%d: starting a master and %d agent processes (work dir %s; load average %s)%n",
        n, n, root, ProcStat.loadAverage());
    List<Process> agents = new ArrayList<>();
    try (MasterProcess master =
        MasterProcess.start(root.resolve("master"), o.masterJvm(), o.token())) {
      MasterClient client = new MasterClient(master.url(), master.token(), Duration.ofMinutes(1));
      try {
        for (int i = 0; i < n; i++) {
          agents.add(startAgent(master, root.resolve("agents/" + i)));
        }
        FanOutBench.awaitOnline(client, n, Duration.ofSeconds(60 + n * 5L));
        FanOutBench floor = new FanOutBench(floorOptions(), results, out);
        for (int w = 0; w < o.warmup(); w++) {
          floor.floorOnce(n);
          once(client, n);
        }
        List<Double> ms = new ArrayList<>();
        List<Double> floors = new ArrayList<>();
        for (int t = 0; t < o.tasks(); t++) {
          floors.add(floor.floorOnce(n));
          ms.add(once(client, n));
        }
        Collections.sort(ms);
        Collections.sort(floors);
        SizeResult r =
            new SizeResult(
                n,
                Stats.percentile(ms, 50),
                Stats.percentile(ms, 90),
                Stats.percentile(floors, 50),
                Stats.percentile(floors, 90),
                ms.size());
        add(n, "mschedule_p50", r.p50(), ms);
        add(n, "mschedule_p90", r.p90(), ms);
        add(n, "floor_p50", r.floorP50(), floors);
        add(n, "floor_p90", r.floorP90(), floors);
        out.printf(
            "  N=%d: median %.1f ms, p90 %.1f ms (floor: median %.1f ms, p90 %.1f ms), %d tasks%n",
            n, r.p50(), r.p90(), r.floorP50(), r.floorP90(), r.tasks());
        return r;
      } finally {
        stopAgents(agents);
      }
    }
  }

  private void add(int n, String metric, double value, List<Double> sorted) {
    results.add(
        "latency",
        n,
        metric,
        "ms",
        new Stats(value, sorted.get(0), sorted.get(sorted.size() - 1), sorted.size()));
  }

  /** The floor's settings: {@code true}, as the tasks run. */
  private FanOutBench.Options floorOptions() {
    return new FanOutBench.Options(
        List.of(), 0, 0, "true", o.workDir(), o.masterJvm(), o.token(), o.timeout(), 0);
  }

  /** One task of {@code true} on every agent: ms from submit to its final state. */
  private double once(MasterClient client, int n) throws Exception {
    CompletableFuture<Long> end = new CompletableFuture<>();
    long t0 = System.nanoTime();
    Task submitted =
        client.submit(TaskRequest.of("true", List.of("all")).withParallel(Parallel.of(0)));
    try (EventStream es =
        client.events(
            submitted.id(),
            new EventListener() {
              @Override
              public void onTask(Task task) {
                if (task.state().isFinal()) {
                  end.complete(System.nanoTime());
                }
              }

              @Override
              public void onClosed(Throwable error) {
                if (error != null) {
                  end.completeExceptionally(error);
                }
              }
            })) {
      long t1 = end.get(o.timeout().toMillis(), TimeUnit.MILLISECONDS);
      Task done = client.task(submitted.id());
      if (done.runs().size() != n) {
        throw new IllegalStateException(
            "task " + done.id() + " has " + done.runs().size() + " runs, expected " + n);
      }
      for (Run r : done.runs()) {
        if (r.state() != RunState.SUCCEEDED) {
          throw new IllegalStateException(
              "run on " + r.hostname() + " ended " + r.state() + ": " + r.output());
        }
      }
      return (t1 - t0) / 1e6;
    }
  }

  /** An agent in its own JVM: {@code mschedule agent} from this tool's class path. */
  private Process startAgent(MasterProcess master, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(o.agentJvm());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.mschedule.cli.Main"));
    cmd.addAll(
        List.of(
            "agent",
            "--data-dir",
            dir.toString(),
            "--master",
            master.endpoint(),
            "--master-key",
            master.masterKey(),
            "--join-token",
            master.joinToken(),
            "--name",
            "latency-" + dir.getFileName()));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("agent.out").toFile())
        .redirectInput(new File("/dev/null"))
        .start();
  }

  private static void stopAgents(List<Process> agents) {
    agents.forEach(Process::destroy);
    for (Process p : agents) {
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }
}
