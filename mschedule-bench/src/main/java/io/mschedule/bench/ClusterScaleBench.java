package io.mschedule.bench;

import io.mschedule.bench.ScaleBench.TaskTrack;
import io.mschedule.bench.ScaleBench.Tracker;
import io.mschedule.bench.sim.FleetProcess;
import io.mschedule.cli.client.MasterClient;
import io.mschedule.cli.client.Parallel;
import io.mschedule.cli.client.Task;
import io.mschedule.cli.client.TaskRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Simulated agents spread evenly over several masters (each in its own JVM, and each master's
 * agents in a JVM of their own: {@link FleetProcess}) sharing one PostgreSQL database: time for all
 * to register, each master's CPU while every agent heartbeats and nothing else happens, each
 * master's heap after a full GC, and a no-op fanned out to every agent from the first master
 * (submit → last result acknowledged), which reaches the agents of the other masters through the
 * database.
 */
public final class ClusterScaleBench {

  /** Settings of one run. */
  public record Options(
      int agents,
      int masters,
      String dbUrl,
      String dbUser,
      Duration settle,
      Duration idleWindow,
      int fanoutRuns,
      int maxConnecting,
      Path workDir,
      List<String> masterJvm,
      Duration timeout) {}

  private final Options o;
  private final Results results;
  private final PrintStream out;

  public ClusterScaleBench(Options options, Results results, PrintStream out) {
    this.o = options;
    this.results = results;
    this.out = out;
  }

  public void run() throws Exception {
    int n = o.agents();
    int m = o.masters();
    Path root = o.workDir().resolve("cluster-" + n + "x" + m + "-" + System.currentTimeMillis());
    out.printf(
        "cluster scale: %d simulated agents over %d masters on %s (load average %s)%n",
        n, m, o.dbUrl(), ProcStat.loadAverage());
    List<MasterProcess> masters = new ArrayList<>();
    List<FleetProcess> fleets = new ArrayList<>();
    try {
      for (int i = 0; i < m; i++) {
        Path dir = root.resolve("master-" + (i + 1));
        if (i > 0) {
          shareSecrets(root.resolve("master-1"), dir);
        }
        masters.add(
            MasterProcess.start(
                dir,
                o.masterJvm(),
                i == 0 ? null : masters.get(0).token(),
                List.of("--db-url", o.dbUrl()),
                Map.of("MSCHEDULE_DB_USER", o.dbUser())));
        if (i == 0) {
          masters.get(0).joinToken(); // in master 1's data directory before it is copied
        }
      }
      String joinToken = masters.get(0).joinToken();
      Tracker tracker = new Tracker();
      long t0 = System.nanoTime();
      for (int i = 0; i < m; i++) {
        int share = n / m + (i < n % m ? 1 : 0);
        fleets.add(
            FleetProcess.start(
                "127.0.0.1",
                masters.get(i).plainPort(),
                share,
                joinToken,
                o.maxConnecting(),
                root.resolve("fleet-" + (i + 1) + ".log"),
                tracker));
      }
      for (FleetProcess f : fleets) {
        if (!f.awaitLinked(o.timeout())) {
          throw new IllegalStateException(
              "only "
                  + f.linkedCount()
                  + " of "
                  + f.size()
                  + " simulated agents linked; see "
                  + root);
        }
      }
      double regMs = (tracker.lastRegistered.get() - t0) / 1e6;
      out.printf("  all %d registered in %.0f ms%n", n, regMs);
      results.add("cluster_scale", n, "register", "ms", Stats.of(List.of(regMs)));

      MasterProcess.sleep(o.settle().toMillis());
      long[] cpu0 = new long[m];
      for (int i = 0; i < m; i++) {
        cpu0[i] = masters.get(i).cpuNanos();
      }
      long w0 = System.nanoTime();
      MasterProcess.sleep(o.idleWindow().toMillis());
      long w1 = System.nanoTime();
      for (int i = 0; i < m; i++) {
        MasterProcess master = masters.get(i);
        double idle = 100.0 * (master.cpuNanos() - cpu0[i]) / (w1 - w0);
        MasterProcess.Heap heap = master.heapAfterGc();
        out.printf(
            "  master %d (%d agents): idle CPU %.1f%% of one core, heap after GC %.1f MB, RSS %.0f"
                + " MB, %d threads%n",
            i + 1,
            fleets.get(i).size(),
            idle,
            heap.used() / 1e6,
            master.rssBytes() / 1e6,
            master.threads());
        results.add("cluster_scale", n, "idle_cpu_master" + (i + 1), "%", Stats.of(List.of(idle)));
        results.add(
            "cluster_scale",
            n,
            "heap_live_master" + (i + 1),
            "MB",
            Stats.of(List.of(heap.used() / 1e6)));
      }

      MasterClient client =
          new MasterClient(masters.get(0).url(), masters.get(0).token(), Duration.ofMinutes(2));
      List<Double> fan = new ArrayList<>();
      for (int r = 0; r < o.fanoutRuns(); r++) {
        MasterProcess.sleep(1000);
        long s0 = System.nanoTime();
        Task t = client.submit(TaskRequest.of("true", List.of("all")).withParallel(Parallel.of(0)));
        TaskTrack track = tracker.await(t.id(), n, o.timeout());
        double ms = (track.lastResult - s0) / 1e6;
        fan.add(ms);
        out.printf(
            "  fan-out %d from master 1: last order after %.0f ms, last result after %.0f ms%n",
            r + 1, (track.lastOrder - s0) / 1e6, ms);
      }
      if (!fan.isEmpty()) {
        results.add("cluster_scale", n, "fanout", "ms", Stats.of(fan));
      }
    } finally {
      for (FleetProcess f : fleets) {
        f.close();
      }
      for (MasterProcess master : masters) {
        master.close();
      }
    }
  }

  /** Gives another master the first one's key pair and join tokens, as operators copy them. */
  private static void shareSecrets(Path first, Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String f : List.of("master.key", "master.pub", "order.key", "order.pub", "join-tokens")) {
      Path src = first.resolve(f);
      if (Files.exists(src)) {
        Files.copy(src, dir.resolve(f));
      }
    }
  }
}
