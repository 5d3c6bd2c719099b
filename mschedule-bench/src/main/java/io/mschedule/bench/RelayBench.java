package io.mschedule.bench;

import io.mschedule.bench.ScaleBench.TaskTrack;
import io.mschedule.bench.ScaleBench.Tracker;
import io.mschedule.bench.sim.SimFleet;
import io.mschedule.bench.sim.SimOptions;
import io.mschedule.cli.client.MasterClient;
import io.mschedule.cli.client.Parallel;
import io.mschedule.cli.client.RelayView;
import io.mschedule.cli.client.Task;
import io.mschedule.cli.client.TaskRequest;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A datacenter behind a relay against the same fleet connected straight to the master. One master
 * in its own JVM; the same simulated agents ({@link SimFleet}) first connect to the master, then to
 * a relay (its own JVM) that reaches the master through {@link LatencyProxy}, which adds WAN
 * latency and counts the bytes crossing the relay↔master link. For each: the master's agent
 * connections, its idle CPU, and fan-outs of a script of {@code scriptBytes}; through the relay
 * also the bytes per fan-out each way, net of the idle traffic (relayed heartbeats) of the same
 * length of time.
 */
public final class RelayBench {

  /** Settings of one relay benchmark. */
  public record Options(
      int agents,
      long latencyMillis,
      int scriptBytes,
      int fanoutRuns,
      Duration settle,
      Duration idleWindow,
      int maxConnecting,
      Path workDir,
      List<String> masterJvm,
      Duration timeout) {}

  private final Options o;
  private final Results results;
  private final PrintStream out;

  public RelayBench(Options options, Results results, PrintStream out) {
    this.o = options;
    this.results = results;
    this.out = out;
  }

  public void run() throws Exception {
    int n = o.agents();
    Path root = o.workDir().resolve("relay-" + n + "-" + System.currentTimeMillis());
    String script = script(o.scriptBytes());
    int orderCopy = Base64.getEncoder().encode(script.getBytes()).length;
    out.printf(
        "relay: %d simulated agents, a %d-byte script (%d bytes as Base64 in an order), %d ms"
            + " each way between relay and master (load average %s)%n",
        n, script.length(), orderCopy, o.latencyMillis(), ProcStat.loadAverage());
    try (MasterProcess master = MasterProcess.start(root.resolve("master"), o.masterJvm(), null)) {
      String joinToken = master.joinToken();
      MasterClient client = new MasterClient(master.url(), master.token(), Duration.ofMinutes(2));
      String tag = Long.toHexString(System.nanoTime() & 0xffffffL);

      out.println("  direct: every agent on the master's agent port");
      Tracker direct = new Tracker();
      try (SimFleet fleet = SimFleet.start(sim(master.plainPort(), tag, joinToken), direct)) {
        awaitLinked(fleet, root);
        Phase p = measure(master, null, null, client, script, direct);
        report("direct", p);
      }

      try (LatencyProxy wan = LatencyProxy.to(master.agentPort(), o.latencyMillis());
          RelayProcess relay =
              RelayProcess.start(
                  root.resolve("relay"), wan.endpoint(), master.masterKey(), joinToken)) {
        awaitRelayOnline(client, relay);
        out.println("  relay: every agent on the relay, one session to the master");
        Tracker relayed = new Tracker();
        try (SimFleet fleet = SimFleet.start(sim(relay.plainPort(), tag, joinToken), relayed)) {
          awaitLinked(fleet, root);
          Phase p = measure(master, relay, wan, client, script, relayed);
          report("relay", p);
          out.printf(
              "    relay process: idle CPU %.1f%% of one core, RSS %.0f MB%n",
              p.relayIdleCpu(), ProcStat.rssBytes(relay.pid()) / 1e6);
          double down = median(p.netDown());
          double up = median(p.netUp());
          out.printf(
              "    per fan-out across the link (median, net of idle traffic): master→relay %.0f"
                  + " bytes = %.2f× one order copy; relay→master %.0f bytes = %.0f per run%n",
              down, down / orderCopy, up, up / n);
          out.printf(
              "    idle traffic across the link: %.0f bytes/s master→relay, %.0f bytes/s"
                  + " relay→master%n",
              p.idleDownPerSecond(), p.idleUpPerSecond());
          results.add("relay", n, "fanout_bytes_down", "B", Stats.of(p.netDown()));
          results.add("relay", n, "fanout_bytes_up", "B", Stats.of(p.netUp()));
          results.add("relay", n, "copies_down", "x", Stats.of(List.of(down / orderCopy)));
        }
      }
    }
  }

  /** What one phase measured. */
  private record Phase(
      int connections,
      double idleCpu,
      double relayIdleCpu,
      List<Double> fanoutMs,
      List<Double> netDown,
      List<Double> netUp,
      double idleDownPerSecond,
      double idleUpPerSecond) {}

  private Phase measure(
      MasterProcess master,
      RelayProcess relay,
      LatencyProxy wan,
      MasterClient client,
      String script,
      Tracker tracker) {
    MasterProcess.sleep(o.settle().toMillis());
    int connections = ProcStat.established(master.agentPort(), master.plainPort());
    long cpu0 = master.cpuNanos();
    long relayCpu0 = relay == null ? 0 : ProcStat.cpuNanos(relay.pid());
    long down0 = wan == null ? 0 : wan.bytesFromTarget();
    long up0 = wan == null ? 0 : wan.bytesToTarget();
    long w0 = System.nanoTime();
    MasterProcess.sleep(o.idleWindow().toMillis());
    long w1 = System.nanoTime();
    double seconds = (w1 - w0) / 1e9;
    double idle = 100.0 * (master.cpuNanos() - cpu0) / (w1 - w0);
    double relayIdle =
        relay == null ? 0 : 100.0 * (ProcStat.cpuNanos(relay.pid()) - relayCpu0) / (w1 - w0);
    double idleDown = wan == null ? 0 : (wan.bytesFromTarget() - down0) / seconds;
    double idleUp = wan == null ? 0 : (wan.bytesToTarget() - up0) / seconds;
    List<Double> fan = new ArrayList<>();
    List<Double> netDown = new ArrayList<>();
    List<Double> netUp = new ArrayList<>();
    for (int r = 0; r < o.fanoutRuns(); r++) {
      MasterProcess.sleep(1000);
      long d0 = wan == null ? 0 : wan.bytesFromTarget();
      long u0 = wan == null ? 0 : wan.bytesToTarget();
      long s0 = System.nanoTime();
      Task t = client.submit(TaskRequest.of(script, List.of("all")).withParallel(Parallel.of(0)));
      TaskTrack track = tracker.await(t.id(), o.agents(), o.timeout());
      // the last result's acknowledgement has crossed back: the link's share of this fan-out is in
      long s1 = System.nanoTime();
      double ms = (track.lastResult - s0) / 1e6;
      fan.add(ms);
      double span = (s1 - s0) / 1e9;
      if (wan != null) {
        netDown.add(Math.max(0, wan.bytesFromTarget() - d0 - idleDown * span));
        netUp.add(Math.max(0, wan.bytesToTarget() - u0 - idleUp * span));
      }
      out.printf(
          "    fan-out %d: last order after %.0f ms, last result after %.0f ms%n",
          r + 1, (track.lastOrder - s0) / 1e6, ms);
    }
    return new Phase(connections, idle, relayIdle, fan, netDown, netUp, idleDown, idleUp);
  }

  private void report(String phase, Phase p) {
    out.printf(
        "    master: %d agent connections, idle CPU %.1f%% of one core, fan-out median %.0f ms%n",
        p.connections(), p.idleCpu(), median(p.fanoutMs()));
    results.add(
        "relay",
        o.agents(),
        phase + "_connections",
        "n",
        Stats.of(List.of((double) p.connections())));
    results.add("relay", o.agents(), phase + "_idle_cpu", "%", Stats.of(List.of(p.idleCpu())));
    results.add("relay", o.agents(), phase + "_fanout", "ms", Stats.of(p.fanoutMs()));
  }

  private SimOptions sim(int port, String tag, String joinToken) {
    SimOptions base = SimOptions.of("127.0.0.1", port, o.agents());
    return new SimOptions(
            base.host(),
            base.port(),
            base.agents(),
            base.heartbeat(),
            base.channelHeartbeat(),
            base.taskDelay(),
            base.outputBytes(),
            o.maxConnecting(),
            tag,
            null)
        .withJoinToken(joinToken);
  }

  private void awaitLinked(SimFleet fleet, Path root) throws InterruptedException {
    long t0 = System.nanoTime();
    if (!fleet.awaitLinked(fleet.size(), o.timeout())) {
      throw new IllegalStateException(
          "only "
              + fleet.linkedCount()
              + " of "
              + fleet.size()
              + " simulated agents linked (last error: "
              + fleet.lastError()
              + "); see "
              + root);
    }
    out.printf("    all %d linked in %.0f ms%n", fleet.size(), (System.nanoTime() - t0) / 1e6);
  }

  private void awaitRelayOnline(MasterClient client, RelayProcess relay) {
    long end = System.nanoTime() + o.timeout().toNanos();
    while (System.nanoTime() < end) {
      for (RelayView r : client.relays()) {
        if ("online".equals(r.state())) {
          return;
        }
      }
      relay.checkAlive();
      MasterProcess.sleep(200);
    }
    throw new IllegalStateException("the relay did not come online; see " + relay.log());
  }

  /** A shell script of about {@code bytes}: a no-op padded with comment lines. */
  static String script(int bytes) {
    StringBuilder s = new StringBuilder("true\n");
    String line = "# " + "x".repeat(77) + "\n";
    while (s.length() + line.length() <= bytes) {
      s.append(line);
    }
    s.append("#".repeat(Math.max(0, bytes - s.length() - 1))).append('\n');
    return s.toString();
  }

  private static double median(List<Double> xs) {
    return xs.isEmpty() ? Double.NaN : Stats.of(xs).median();
  }

  /** {@code mschedule relay} in its own JVM, with a compatibility listener for the fleet. */
  static final class RelayProcess implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int plainPort;

    private RelayProcess(Process process, Path dir, int plainPort) {
      this.process = process;
      this.dir = dir;
      this.plainPort = plainPort;
    }

    static RelayProcess start(Path dir, String master, String masterKey, String joinToken) {
      int plainPort = MasterProcess.freePort();
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add("io.mschedule.cli.Main");
      cmd.addAll(
          List.of(
              "relay",
              "--data-dir",
              dir.toString(),
              "--master",
              master,
              "--master-key",
              masterKey,
              "--agent-bind",
              "tcp://127.0.0.1:" + MasterProcess.freePort(),
              "--plain-agent-bind",
              "tcp://127.0.0.1:" + plainPort,
              "--datacenter",
              "bench",
              "--join-token",
              joinToken));
      try {
        Files.createDirectories(dir);
        Process p =
            new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("relay.out").toFile())
                .redirectInput(new File("/dev/null"))
                .start();
        return new RelayProcess(p, dir, plainPort);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the relay", e);
      }
    }

    int plainPort() {
      return plainPort;
    }

    long pid() {
      return process.pid();
    }

    Path log() {
      return dir.resolve("relay.out");
    }

    void checkAlive() {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the relay exited with " + process.exitValue() + "; see " + log());
      }
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
