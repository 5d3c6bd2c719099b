package io.mschedule.bench;

import io.mschedule.bench.sim.SimFleet;
import io.mschedule.bench.sim.SimListener;
import io.mschedule.bench.sim.SimOptions;
import io.mschedule.cli.client.MasterClient;
import io.mschedule.cli.client.Parallel;
import io.mschedule.cli.client.Task;
import io.mschedule.cli.client.TaskRequest;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scale with simulated agents ({@link SimFleet}: real protocol and real TCP connections, fake
 * processes) against one master in its own JVM. Per fleet size: time for all agents to register,
 * the master's CPU with every agent heartbeating and nothing else going on, its heap after a full
 * GC, and the time to fan a no-op out to every agent (submit → last result acknowledged). Then the
 * dispatch latency to an idle agent (submit → the agent holds the {@code task} order) at one size,
 * and the task throughput on a small fleet.
 */
public final class ScaleBench {

  /** Settings of one scale benchmark. */
  public record Options(
      List<Integer> sizes,
      Duration settle,
      Duration idleWindow,
      int fanoutRuns,
      int latencyAt,
      int latencySamples,
      int latencyWarmup,
      int throughputAgents,
      int throughputClients,
      Duration throughputTime,
      Duration throughputWarmup,
      Duration taskDelay,
      int outputBytes,
      int maxConnecting,
      Path workDir,
      List<String> masterJvm,
      String token,
      boolean jfr,
      Duration timeout,
      int repeat,
      String dbUrl,
      String dbUser) {}

  /** Figures for one fleet size. */
  public record SizeResult(
      int n,
      double registerMs,
      double linkedMs,
      double idleCpuPercent,
      double generatorCpuPercent,
      MasterProcess.Heap heap,
      long rssBytes,
      int threads,
      Stats fanoutMs,
      Stats lastOrderMs,
      long errors,
      List<Double> fanoutSamples,
      List<Double> lastOrderSamples) {}

  /** Dispatch latency percentiles, ms. */
  public record Latency(int n, int samples, double p50, double p90, double p99, double max) {}

  /** Closed-loop throughput of one-agent tasks. */
  public record Throughput(int agents, int clients, int tasks, double seconds, double perSecond) {}

  /**
   * Everything one run measured: per repetition, the figures of every size, the latency and the
   * throughput.
   */
  public record Report(
      List<SizeResult> sizes,
      Latency latency,
      Throughput throughput,
      List<List<SizeResult>> allSizes,
      List<Latency> allLatencies,
      List<Throughput> allThroughputs) {}

  private final Options o;

  /** With {@code --db-url}: the admin token of the first master on the database. */
  private String sharedDbToken;

  private final Results results;
  private final PrintStream out;

  public ScaleBench(Options options, Results results, PrintStream out) {
    this.o = options;
    this.results = results;
    this.out = out;
  }

  public Report run() throws Exception {
    List<List<SizeResult>> reps = new ArrayList<>();
    List<Latency> latencies = new ArrayList<>();
    List<Throughput> throughputs = new ArrayList<>();
    for (int rep = 1; rep <= Math.max(1, o.repeat()); rep++) {
      if (o.repeat() > 1) {
        out.printf("== repetition %d of %d ==%n", rep, o.repeat());
      }
      List<SizeResult> sizes = new ArrayList<>();
      Latency latency = null;
      for (int n : o.sizes()) {
        Object[] r = runSize(n, n == o.latencyAt());
        sizes.add((SizeResult) r[0]);
        if (r[1] != null) {
          latency = (Latency) r[1];
        }
      }
      if (latency == null && o.latencyAt() > 0 && o.latencySamples() > 0) {
        latency = latencyOnly(o.latencyAt());
      }
      Throughput throughput = o.throughputAgents() > 0 ? throughput() : null;
      print(sizes, latency, throughput);
      reps.add(sizes);
      if (latency != null) {
        latencies.add(latency);
      }
      if (throughput != null) {
        throughputs.add(throughput);
      }
    }
    record(reps, latencies, throughputs);
    List<SizeResult> last = reps.get(reps.size() - 1);
    return new Report(
        last,
        latencies.isEmpty() ? null : latencies.get(latencies.size() - 1),
        throughputs.isEmpty() ? null : throughputs.get(throughputs.size() - 1),
        reps,
        latencies,
        throughputs);
  }

  /** Writes the medians over the repetitions (fan-out: over every fan-out of every one). */
  private void record(
      List<List<SizeResult>> reps, List<Latency> latencies, List<Throughput> throughputs) {
    out.println();
    out.printf("scale summary over %d repetition(s): median (min-max)%n", reps.size());
    for (int i = 0; i < o.sizes().size(); i++) {
      int n = o.sizes().get(i);
      List<SizeResult> per = new ArrayList<>();
      for (List<SizeResult> rep : reps) {
        per.add(rep.get(i));
      }
      Stats reg = stat(per, SizeResult::registerMs);
      Stats link = stat(per, SizeResult::linkedMs);
      Stats cpu = stat(per, SizeResult::idleCpuPercent);
      Stats heap = stat(per, r -> r.heap().used() / 1e6);
      Stats comm = stat(per, r -> r.heap().committed() / 1e6);
      Stats rss = stat(per, r -> r.rssBytes() / 1e6);
      List<Double> fan = new ArrayList<>();
      List<Double> lastOrder = new ArrayList<>();
      per.forEach(r -> fan.addAll(r.fanoutSamples()));
      per.forEach(r -> lastOrder.addAll(r.lastOrderSamples()));
      results.add("scale", n, "register", "ms", reg);
      results.add("scale", n, "linked", "ms", link);
      results.add("scale", n, "idle_cpu", "%core", cpu);
      results.add("scale", n, "heap_live", "MB", heap);
      results.add("scale", n, "heap_committed", "MB", comm);
      results.add("scale", n, "rss", "MB", rss);
      results.add("scale", n, "fanout", "ms", Stats.of(fan));
      results.add("scale", n, "fanout_last_order", "ms", Stats.of(lastOrder));
      out.printf(
          "  N=%d: register %s ms, idle CPU %s %%, heap live %s MB, no-op fan-out %s ms%n",
          n,
          reg.format("%.0f"),
          cpu.format("%.1f"),
          heap.format("%.0f"),
          Stats.of(fan).format("%.0f"));
    }
    if (!latencies.isEmpty()) {
      int n = latencies.get(0).n();
      Stats p50 = Stats.of(latencies.stream().map(Latency::p50).toList());
      Stats p99 = Stats.of(latencies.stream().map(Latency::p99).toList());
      results.add("latency", n, "dispatch_p50", "ms", p50);
      results.add("latency", n, "dispatch_p99", "ms", p99);
      out.printf(
          "  dispatch latency at N=%d: p50 %s ms, p99 %s ms%n",
          n, p50.format("%.2f"), p99.format("%.2f"));
    }
    if (!throughputs.isEmpty()) {
      int n = throughputs.get(0).agents();
      Stats tps = Stats.of(throughputs.stream().map(Throughput::perSecond).toList());
      results.add("throughput", n, "tasks_per_s", "1/s", tps);
      out.printf("  throughput on %d agents: %s tasks/s%n", n, tps.format("%.0f"));
    }
  }

  private static Stats stat(
      List<SizeResult> per, java.util.function.ToDoubleFunction<SizeResult> f) {
    return Stats.of(per.stream().map(r -> f.applyAsDouble(r)).toList());
  }

  private void print(List<SizeResult> sizes, Latency latency, Throughput tp) {
    out.println();
    out.println("scale, simulated agents (master in its own JVM)");
    out.printf(
        "%7s %10s %10s %9s %11s %11s %8s %8s %-26s %s%n",
        "N",
        "reg ms",
        "linked ms",
        "idle CPU",
        "heap live",
        "heap comm",
        "RSS",
        "threads",
        "no-op fan-out ms",
        "errors");
    for (SizeResult r : sizes) {
      out.printf(
          "%7d %10.0f %10.0f %8.1f%% %9.1f MB %9.1f MB %6.0f MB %8d %-26s %d%n",
          r.n(),
          r.registerMs(),
          r.linkedMs(),
          r.idleCpuPercent(),
          r.heap().used() / 1e6,
          r.heap().committed() / 1e6,
          r.rssBytes() / 1e6,
          r.threads(),
          r.fanoutMs().format("%.0f"),
          r.errors());
    }
    if (latency != null) {
      out.printf(
          "dispatch latency at %d agents (%d samples): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
          latency.n(),
          latency.samples(),
          latency.p50(),
          latency.p90(),
          latency.p99(),
          latency.max());
    }
    if (tp != null) {
      out.printf(
          "throughput: %d one-agent tasks in %.1f s on %d agents with %d clients: %.0f tasks/s%n",
          tp.tasks(), tp.seconds(), tp.agents(), tp.clients(), tp.perSecond());
    }
  }

  // ------------------------------------------------------------------ per size

  private Object[] runSize(int n, boolean measureLatency) throws Exception {
    Path root = o.workDir().resolve("scale-" + n + "-" + System.currentTimeMillis());
    out.printf(
        "scale N=%d: starting a master (work dir %s; load average %s)%n",
        n, root, ProcStat.loadAverage());
    try (MasterProcess master = startMaster(root)) {
      jfrStart(master, "register");
      MasterClient client = new MasterClient(master.url(), master.token(), Duration.ofMinutes(2));
      Tracker tracker = new Tracker();
      long t0 = System.nanoTime();
      try (SimFleet fleet =
          SimFleet.start(
              SimOptions.of("127.0.0.1", master.plainPort(), n)
                  .withJoinToken(master.joinToken())
                  .withTaskDelay(o.taskDelay())
                  .withOutputBytes(o.outputBytes())
                  .withMaxConnecting(o.maxConnecting()),
              tracker)) {
        if (!fleet.awaitLinked(n, o.timeout())) {
          throw new IllegalStateException(
              "only "
                  + fleet.linkedCount()
                  + " of "
                  + n
                  + " simulated agents linked; last error: "
                  + fleet.lastError());
        }
        jfrStop(master, "register", n);
        double regMs = (tracker.lastRegistered.get() - t0) / 1e6;
        double linkMs = (tracker.lastLinked.get() - t0) / 1e6;
        out.printf(
            "  N=%d: all registered in %.0f ms, all order streams open in %.0f ms (%d errors)%n",
            n, regMs, linkMs, fleet.errors());

        // idle: every agent heartbeating, nothing else
        MasterProcess.sleep(o.settle().toMillis());
        jfrStart(master, "idle");
        long cpu0 = master.cpuNanos();
        long gen0 = ProcStat.cpuNanos(ProcessHandle.current().pid());
        long w0 = System.nanoTime();
        MasterProcess.sleep(o.idleWindow().toMillis());
        long cpu1 = master.cpuNanos();
        long gen1 = ProcStat.cpuNanos(ProcessHandle.current().pid());
        long w1 = System.nanoTime();
        jfrStop(master, "idle", n);
        double idleCpu = 100.0 * (cpu1 - cpu0) / (w1 - w0);
        double genCpu = 100.0 * (gen1 - gen0) / (w1 - w0);
        MasterProcess.Heap heap = master.heapAfterGc();
        long rss = master.rssBytes();
        int threads = master.threads();
        out.printf(
            "  N=%d: idle master CPU %.1f%% of one core (generator %.1f%%), heap after GC %.1f MB"
                + " (committed %.1f MB), RSS %.0f MB, %d threads%n",
            n, idleCpu, genCpu, heap.used() / 1e6, heap.committed() / 1e6, rss / 1e6, threads);

        // fan-out of a no-op to every agent
        List<Double> fan = new ArrayList<>();
        List<Double> lastOrder = new ArrayList<>();
        jfrStart(master, "fanout");
        for (int r = 0; r < o.fanoutRuns(); r++) {
          MasterProcess.sleep(1000);
          long s0 = System.nanoTime();
          Task t =
              client.submit(TaskRequest.of("true", List.of("all")).withParallel(Parallel.of(0)));
          TaskTrack track = tracker.await(t.id(), n, o.timeout());
          fan.add((track.lastResult - s0) / 1e6);
          lastOrder.add((track.lastOrder - s0) / 1e6);
          out.printf(
              "  N=%d fan-out %d: last order after %.0f ms, last result after %.0f ms%n",
              n, r + 1, (track.lastOrder - s0) / 1e6, (track.lastResult - s0) / 1e6);
        }
        jfrStop(master, "fanout", n);
        Latency latency = measureLatency ? latency(n, client, fleet, tracker) : null;
        SizeResult res =
            new SizeResult(
                n,
                regMs,
                linkMs,
                idleCpu,
                genCpu,
                heap,
                rss,
                threads,
                Stats.of(fan),
                Stats.of(lastOrder),
                fleet.errors(),
                fan,
                lastOrder);
        return new Object[] {res, latency};
      }
    }
  }

  private void jfrStart(MasterProcess master, String phase) {
    if (o.jfr()) {
      master.startJfr(phase);
    }
  }

  private void jfrStop(MasterProcess master, String phase, int n) {
    if (o.jfr()) {
      Path jfr = o.workDir().resolve("master-" + n + "-" + phase + ".jfr").toAbsolutePath();
      master.stopJfr(phase, jfr);
      out.printf("  N=%d: JFR recording of the master (%s) in %s%n", n, phase, jfr);
    }
  }

  private Latency latencyOnly(int n) throws Exception {
    Path root = o.workDir().resolve("latency-" + n + "-" + System.currentTimeMillis());
    try (MasterProcess master = startMaster(root)) {
      MasterClient client = new MasterClient(master.url(), master.token(), Duration.ofMinutes(2));
      Tracker tracker = new Tracker();
      try (SimFleet fleet =
          SimFleet.start(
              SimOptions.of("127.0.0.1", master.plainPort(), n).withJoinToken(master.joinToken()),
              tracker)) {
        if (!fleet.awaitLinked(n, o.timeout())) {
          throw new IllegalStateException("simulated agents did not link: " + fleet.lastError());
        }
        MasterProcess.sleep(o.settle().toMillis());
        return latency(n, client, fleet, tracker);
      }
    }
  }

  /** Submit → the agent holds the order, for one idle agent at a time. */
  private Latency latency(int n, MasterClient client, SimFleet fleet, Tracker tracker)
      throws Exception {
    List<Double> samples = new ArrayList<>();
    int warm = o.latencyWarmup();
    for (int i = 0; i < warm + o.latencySamples(); i++) {
      String agent = fleet.agentId((i * 7919) % n);
      long s0 = System.nanoTime();
      Task t = client.submit(TaskRequest.of("true", List.of(agent)));
      TaskTrack track = tracker.await(t.id(), 1, o.timeout());
      if (i >= warm) {
        samples.add((track.firstOrder - s0) / 1e6);
      }
      MasterProcess.sleep(5);
    }
    Collections.sort(samples);
    Latency l =
        new Latency(
            n,
            samples.size(),
            Stats.percentile(samples, 50),
            Stats.percentile(samples, 90),
            Stats.percentile(samples, 99),
            samples.get(samples.size() - 1));
    out.printf(
        "  dispatch latency at N=%d: p50 %.2f ms, p99 %.2f ms (%d samples)%n",
        n, l.p50(), l.p99(), l.samples());
    return l;
  }

  /**
   * A master in {@code root/master}, on its own H2 file or on {@code --db-url}. The masters of a
   * run on one database share it one after the other: the first makes the admin token (tokens live
   * in the database), the later ones are driven with it.
   */
  private MasterProcess startMaster(Path root) {
    if (o.dbUrl() == null) {
      return MasterProcess.start(root.resolve("master"), o.masterJvm(), o.token());
    }
    MasterProcess m =
        MasterProcess.start(
            root.resolve("master"),
            o.masterJvm(),
            o.token() != null ? o.token() : sharedDbToken,
            List.of("--db-url", o.dbUrl()),
            java.util.Map.of("MSCHEDULE_DB_USER", o.dbUser()));
    sharedDbToken = m.token();
    return m;
  }

  private Throughput throughput() throws Exception {
    int n = o.throughputAgents();
    Path root = o.workDir().resolve("throughput-" + n + "-" + System.currentTimeMillis());
    out.printf(
        "throughput: %d agents, %d clients, %d s (after %d s unmeasured)%n",
        n, o.throughputClients(), o.throughputTime().toSeconds(), o.throughputWarmup().toSeconds());
    try (MasterProcess master = startMaster(root)) {
      MasterClient client = new MasterClient(master.url(), master.token(), Duration.ofMinutes(2));
      Tracker tracker = new Tracker();
      try (SimFleet fleet =
          SimFleet.start(
              SimOptions.of("127.0.0.1", master.plainPort(), n)
                  .withJoinToken(master.joinToken())
                  .withTaskDelay(o.taskDelay()),
              tracker)) {
        if (!fleet.awaitLinked(n, o.timeout())) {
          throw new IllegalStateException("simulated agents did not link: " + fleet.lastError());
        }
        if (o.jfr()) {
          master.primeJfr();
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger counted = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> firstFailure =
            new java.util.concurrent.atomic.AtomicReference<>();
        long warmupNanos = o.throughputWarmup().toNanos();
        long start = System.nanoTime();
        long measureFrom = start + warmupNanos;
        long end = measureFrom + o.throughputTime().toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < o.throughputClients(); c++) {
          Thread th =
              new Thread(
                  () -> {
                    while (System.nanoTime() < end) {
                      String agent = fleet.agentId(Math.floorMod(next.getAndIncrement(), n));
                      try {
                        Task t = client.submit(TaskRequest.of("true", List.of(agent)));
                        TaskTrack track = tracker.await(t.id(), 1, o.timeout());
                        if (track.lastResult - measureFrom >= 0 && track.lastResult - end < 0) {
                          counted.incrementAndGet();
                        }
                      } catch (Exception e) {
                        if (failures.getAndIncrement() == 0) {
                          firstFailure.set(e.toString());
                        }
                      }
                    }
                  },
                  "throughput-" + c);
          th.start();
          clients.add(th);
        }
        // the CPU over the measured window of the master and of this tool (the clients and the
        // simulated agents, on the same machine): what a task costs each, whatever the rate
        long self = ProcessHandle.current().pid();
        waitUntil(measureFrom);
        jfrStart(master, "throughput");
        long masterFrom = master.cpuNanos();
        long jitFrom = master.compilerCpuNanos();
        long selfFrom = ProcStat.cpuNanos(self);
        waitUntil(end);
        long masterCpu = master.cpuNanos() - masterFrom;
        long jitCpu = master.compilerCpuNanos() - jitFrom;
        long selfCpu = ProcStat.cpuNanos(self) - selfFrom;
        jfrStop(master, "throughput", n);
        for (Thread th : clients) {
          th.join();
        }
        cpuShare("master", masterCpu, end - measureFrom, counted.get());
        // a master whose JIT still compiles is not warm yet: a longer --throughput-warmup
        out.printf(
            "    of which its JIT compiler threads: %.0f %% of a core%n",
            jitCpu / (double) (end - measureFrom) * 100);
        cpuShare(
            "benchmark (clients, simulated agents)", selfCpu, end - measureFrom, counted.get());
        if (failures.get() > 0) {
          out.printf(
              "  throughput: %d submissions failed (the first: %s)%n",
              failures.get(), firstFailure.get());
        }
        double secs = o.throughputTime().toNanos() / 1e9;
        Throughput tp =
            new Throughput(n, o.throughputClients(), counted.get(), secs, counted.get() / secs);
        return tp;
      }
    }
  }

  private void cpuShare(String who, long cpuNanos, long wallNanos, int tasks) {
    out.printf(
        "  %s CPU while measured: %.0f %% of a core, %.2f ms per task%n",
        who, cpuNanos / (double) wallNanos * 100, tasks == 0 ? 0 : cpuNanos / 1e6 / tasks);
  }

  private static void waitUntil(long nanoTime) throws InterruptedException {
    for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  // ------------------------------------------------------------------ tracking

  /** Orders and results seen for one task id. Written by the fleet's I/O thread. */
  static final class TaskTrack {
    final AtomicInteger orders = new AtomicInteger();
    final AtomicInteger results = new AtomicInteger();
    volatile long firstOrder;
    volatile long lastOrder;
    volatile long lastResult;
  }

  /** Collects what the simulated agents report. */
  static final class Tracker implements SimListener {
    final AtomicLong lastRegistered = new AtomicLong();
    final AtomicLong lastLinked = new AtomicLong();
    final ConcurrentHashMap<String, TaskTrack> tasks = new ConcurrentHashMap<>();

    @Override
    public void registered(int agent, long nanos) {
      lastRegistered.accumulateAndGet(nanos, Math::max);
    }

    @Override
    public void linked(int agent, long nanos) {
      lastLinked.accumulateAndGet(nanos, Math::max);
    }

    @Override
    public void order(int agent, String taskId, long nanos) {
      TaskTrack t = tasks.computeIfAbsent(taskId, k -> new TaskTrack());
      if (t.orders.getAndIncrement() == 0) {
        t.firstOrder = nanos;
      }
      t.lastOrder = nanos;
    }

    @Override
    public void resultAcked(int agent, String taskId, long nanos) {
      TaskTrack t = tasks.computeIfAbsent(taskId, k -> new TaskTrack());
      t.lastResult = nanos;
      t.results.incrementAndGet();
      synchronized (t) {
        t.notifyAll();
      }
    }

    private static void waitOn(Object monitor, long ms) {
      try {
        monitor.wait(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }

    /** Waits until {@code expected} results of the task were acknowledged, then forgets it. */
    TaskTrack await(String taskId, int expected, Duration timeout) {
      TaskTrack t = tasks.computeIfAbsent(taskId, k -> new TaskTrack());
      long end = System.nanoTime() + timeout.toNanos();
      int spins = 0;
      while (t.results.get() < expected) {
        if (System.nanoTime() - end > 0) {
          throw new IllegalStateException(
              "task "
                  + taskId
                  + ": "
                  + t.results.get()
                  + " of "
                  + expected
                  + " results after "
                  + timeout.toSeconds()
                  + " s ("
                  + t.orders.get()
                  + " orders)");
        }
        if (++spins < 100) {
          Thread.onSpinWait();
          continue;
        }
        // woken by the acknowledgement, not by polling: a waiting client costs no CPU
        synchronized (t) {
          if (t.results.get() < expected) {
            waitOn(t, Math.max(1, (end - System.nanoTime()) / 1_000_000));
          }
        }
      }
      tasks.remove(taskId);
      return t;
    }
  }
}
