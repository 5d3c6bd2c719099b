package io.mschedule.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code java -jar mschedule-bench.jar COMMAND}: the mschedule benchmark tool. */
@Command(
    name = "mschedule-bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks of mschedule (see docs/performance.md).",
    subcommands = {
      BenchMain.FanOut.class,
      BenchMain.Scale.class,
      BenchMain.ClusterScale.class,
      BenchMain.Relay.class,
      BenchMain.Latency.class,
      BenchMain.Jmh.class,
      BenchMain.Plot.class,
      BenchMain.PlotSoak.class,
      BenchMain.JfrSummaryCommand.class
    })
public final class BenchMain implements Runnable {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    if (args.length > 0 && args[0].equals("jmh")) {
      // everything after `jmh` belongs to JMH (its options look like ours)
      try {
        org.openjdk.jmh.Main.main(java.util.Arrays.copyOfRange(args, 1, args.length));
        return 0;
      } catch (Exception e) {
        e.printStackTrace();
        return 1;
      }
    }
    quietLogs();
    return new CommandLine(new BenchMain()).execute(args);
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  /** Agents and the JeroMQ clients inside this JVM log at WARN: one line per run is noise here. */
  public static void quietLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
      // agents closing at the end of a size report their lost connections: expected there
      ctx.getLogger("io.mschedule.agent.session").setLevel(Level.ERROR);
      ctx.getLogger("io.mschedule.protocol.zerorpc").setLevel(Level.ERROR);
    }
  }

  static List<Integer> sizes(String csv) {
    List<Integer> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      if (!s.isBlank()) {
        out.add(Integer.parseInt(s.strip()));
      }
    }
    return out;
  }

  static List<String> jvm(String opts) {
    List<String> out = new ArrayList<>();
    if (opts != null) {
      for (String s : opts.trim().split("\\s+")) {
        if (!s.isEmpty()) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /** One benchmark run (its result is written by the benchmark itself). */
  interface BenchRun {
    void run() throws Exception;
  }

  /** Options shared by the commands that start a master. */
  static class Common {
    @Option(
        names = "--out",
        paramLabel = "DIR",
        description =
            "Results (summary.csv, JFR files) and work directories (default ${DEFAULT-VALUE}).",
        defaultValue = "bench-results")
    Path out;

    @Option(
        names = "--token",
        paramLabel = "TOKEN",
        description =
            "API token; default: <master data dir>/admin.token when the master writes one,"
                + " else $MSCHEDULE_TOKEN, else none.")
    String token;

    @Option(
        names = "--master-jvm",
        paramLabel = "OPTS",
        description =
            "JVM options of the master process, e.g. '-Xmx1g' (default: none, as bin/mschedule).")
    String masterJvm;

    @Option(
        names = "--keep-work",
        description =
            "Keep the run directories (master data, H2 file, logs) under DIR/work after a command"
                + " that succeeds; by default they are removed then (a throughput run's H2 file"
                + " takes gigabytes) and kept only when it fails.")
    boolean keepWork;

    Path work() {
      return out.resolve("work").toAbsolutePath();
    }

    /** Runs a benchmark, then removes the run directories it made unless --keep-work. */
    int runThenClean(BenchRun bench) throws Exception {
      var before = WorkDirs.list(work());
      bench.run();
      if (!keepWork) {
        WorkDirs.removeNew(work(), before);
      }
      System.out.println("summary appended to " + out.resolve("summary.csv"));
      return 0;
    }
  }

  @Command(
      name = "fanout",
      mixinStandardHelpOptions = true,
      description =
          "Real agents (agent-host JVMs, real processes) vs. the /bin/sh floor started from Java.")
  static final class FanOut extends Common implements Callable<Integer> {
    @Option(
        names = "--sizes",
        defaultValue = "10,100,500",
        description = "Agent counts (default ${DEFAULT-VALUE}).")
    String sizes;

    @Option(
        names = "--runs",
        defaultValue = "5",
        description = "Measured rounds per size (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(
        names = "--warmup",
        defaultValue = "1",
        description = "Unmeasured rounds per size (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
        names = "--script",
        defaultValue = "hostname",
        description = "Script to run (default ${DEFAULT-VALUE}).")
    String script;

    @Option(
        names = "--agents-per-jvm",
        defaultValue = "100",
        description =
            "Agents per agent-host JVM (default ${DEFAULT-VALUE}); 0 puts them all in this JVM.")
    int agentsPerJvm;

    @Override
    public Integer call() throws Exception {
      var opts =
          new FanOutBench.Options(
              sizes(sizes),
              runs,
              warmup,
              script,
              work(),
              jvm(masterJvm),
              token,
              Duration.ofMinutes(5),
              agentsPerJvm);
      return runThenClean(() -> new FanOutBench(opts, new Results(out), System.out).run());
    }
  }

  @Command(
      name = "scale",
      mixinStandardHelpOptions = true,
      description = "Simulated agents (real protocol, fake processes) against one master JVM.")
  static final class Scale extends Common implements Callable<Integer> {
    @Option(
        names = "--sizes",
        defaultValue = "1000,5000,10000",
        description = "Fleet sizes (default ${DEFAULT-VALUE}).")
    String sizes;

    @Option(
        names = "--settle",
        defaultValue = "10",
        description =
            "Seconds after registration before the idle window (default ${DEFAULT-VALUE}).")
    int settle;

    @Option(
        names = "--idle-window",
        defaultValue = "30",
        description = "Seconds over which idle CPU is measured (default ${DEFAULT-VALUE}).")
    int idleWindow;

    @Option(
        names = "--fanout-runs",
        defaultValue = "5",
        description = "No-op fan-outs per size (default ${DEFAULT-VALUE}).")
    int fanoutRuns;

    @Option(
        names = "--latency-at",
        defaultValue = "1000",
        description = "Fleet size for the dispatch latency (default ${DEFAULT-VALUE}; 0: skip).")
    int latencyAt;

    @Option(
        names = "--latency-samples",
        defaultValue = "500",
        description = "Dispatch latency samples (default ${DEFAULT-VALUE}).")
    int latencySamples;

    @Option(
        names = "--latency-warmup",
        defaultValue = "20",
        description =
            "Unmeasured dispatch latency samples first (default ${DEFAULT-VALUE}; more measure a"
                + " master whose code the JIT compiled).")
    int latencyWarmup;

    @Option(
        names = "--throughput-agents",
        defaultValue = "100",
        description = "Agents for the throughput run (default ${DEFAULT-VALUE}; 0: skip).")
    int throughputAgents;

    @Option(
        names = "--throughput-clients",
        defaultValue = "16",
        description = "Concurrent submitters (default ${DEFAULT-VALUE}).")
    int throughputClients;

    @Option(
        names = "--throughput-seconds",
        defaultValue = "20",
        description = "Measured seconds (default ${DEFAULT-VALUE}).")
    int throughputSeconds;

    @Option(
        names = "--throughput-warmup",
        defaultValue = "3",
        description =
            "Unmeasured seconds of load first (default ${DEFAULT-VALUE}; about 150 measure a master"
                + " whose JIT is done compiling: the run prints what its compiler threads took).")
    int throughputWarmup;

    @Option(
        names = "--task-delay-ms",
        defaultValue = "0",
        description = "How long a fake run takes (default ${DEFAULT-VALUE}).")
    int taskDelayMs;

    @Option(
        names = "--output-bytes",
        defaultValue = "16",
        description = "Output of a fake run (default ${DEFAULT-VALUE}).")
    int outputBytes;

    @Option(
        names = "--max-connecting",
        defaultValue = "256",
        description = "Agents connecting/registering at once (default ${DEFAULT-VALUE}).")
    int maxConnecting;

    @Option(
        names = "--jfr",
        description = "Record the master with JFR (profile settings) for each size.")
    boolean jfr;

    @Option(
        names = "--repeat",
        defaultValue = "1",
        description =
            "Run the whole suite this many times; medians over the repetitions (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(
        names = "--db-url",
        description =
            "JDBC URL of an empty PostgreSQL database for the masters this run starts, one after"
                + " the other (default: each its own embedded H2 file).")
    String dbUrl;

    @Option(
        names = "--db-user",
        defaultValue = "postgres",
        description = "Database user with --db-url (default ${DEFAULT-VALUE}).")
    String dbUser;

    @Override
    public Integer call() throws Exception {
      var opts =
          new ScaleBench.Options(
              sizes(sizes),
              Duration.ofSeconds(settle),
              Duration.ofSeconds(idleWindow),
              fanoutRuns,
              latencyAt,
              latencySamples,
              latencyWarmup,
              throughputAgents,
              throughputClients,
              Duration.ofSeconds(throughputSeconds),
              Duration.ofSeconds(throughputWarmup),
              Duration.ofMillis(taskDelayMs),
              outputBytes,
              maxConnecting,
              work(),
              jvm(masterJvm),
              token,
              jfr,
              Duration.ofMinutes(3),
              repeat,
              dbUrl,
              dbUser);
      return runThenClean(() -> new ScaleBench(opts, new Results(out), System.out).run());
    }
  }

  @Command(
      name = "cluster-scale",
      mixinStandardHelpOptions = true,
      description =
          "Simulated agents spread over several master JVMs on one PostgreSQL database: register,"
              + " idle CPU and heap per master, no-op fan-out to all from the first master.")
  static final class ClusterScale extends Common implements Callable<Integer> {
    @Option(
        names = "--agents",
        defaultValue = "20000",
        description = "Simulated agents in all (default ${DEFAULT-VALUE}).")
    int agents;

    @Option(
        names = "--masters",
        defaultValue = "2",
        description = "Masters; agents are split evenly (default ${DEFAULT-VALUE}).")
    int masters;

    @Option(
        names = "--db-url",
        required = true,
        description = "JDBC URL of an empty PostgreSQL database the masters share.")
    String dbUrl;

    @Option(
        names = "--db-user",
        defaultValue = "postgres",
        description = "Database user (default ${DEFAULT-VALUE}).")
    String dbUser;

    @Option(
        names = "--settle",
        defaultValue = "10",
        description =
            "Seconds after registration before the idle window (default ${DEFAULT-VALUE}).")
    int settle;

    @Option(
        names = "--idle-window",
        defaultValue = "30",
        description = "Seconds over which idle CPU is measured (default ${DEFAULT-VALUE}).")
    int idleWindow;

    @Option(
        names = "--fanout-runs",
        defaultValue = "3",
        description = "No-op fan-outs to every agent (default ${DEFAULT-VALUE}).")
    int fanoutRuns;

    @Option(
        names = "--max-connecting",
        defaultValue = "256",
        description = "Agents connecting/registering at once (default ${DEFAULT-VALUE}).")
    int maxConnecting;

    @Override
    public Integer call() throws Exception {
      var opts =
          new ClusterScaleBench.Options(
              agents,
              masters,
              dbUrl,
              dbUser,
              Duration.ofSeconds(settle),
              Duration.ofSeconds(idleWindow),
              fanoutRuns,
              maxConnecting,
              work(),
              jvm(masterJvm),
              Duration.ofMinutes(5));
      return runThenClean(() -> new ClusterScaleBench(opts, new Results(out), System.out).run());
    }
  }

  @Command(
      name = "relay",
      mixinStandardHelpOptions = true,
      description =
          "Simulated agents straight on the master, then the same agents behind a relay reached"
              + " through a proxy adding WAN latency: master connections, idle CPU, fan-out time,"
              + " and the bytes a fan-out sends across the relay's link.")
  static final class Relay extends Common implements Callable<Integer> {
    @Option(
        names = "--agents",
        defaultValue = "2000",
        description = "Simulated agents (default ${DEFAULT-VALUE}).")
    int agents;

    @Option(
        names = "--latency-ms",
        defaultValue = "50",
        description =
            "Delay added each way between the relay and the master (default ${DEFAULT-VALUE}).")
    long latencyMs;

    @Option(
        names = "--script-bytes",
        defaultValue = "10240",
        description = "Size of the fanned-out script (default ${DEFAULT-VALUE}).")
    int scriptBytes;

    @Option(
        names = "--fanout-runs",
        defaultValue = "5",
        description = "Fan-outs per phase (default ${DEFAULT-VALUE}).")
    int fanoutRuns;

    @Option(
        names = "--settle",
        defaultValue = "10",
        description = "Seconds after linking before the idle window (default ${DEFAULT-VALUE}).")
    int settle;

    @Option(
        names = "--idle-window",
        defaultValue = "30",
        description = "Seconds over which idle CPU is measured (default ${DEFAULT-VALUE}).")
    int idleWindow;

    @Override
    public Integer call() throws Exception {
      var opts =
          new RelayBench.Options(
              agents,
              latencyMs,
              scriptBytes,
              fanoutRuns,
              Duration.ofSeconds(settle),
              Duration.ofSeconds(idleWindow),
              256,
              work(),
              jvm(masterJvm),
              Duration.ofMinutes(3));
      return runThenClean(() -> new RelayBench(opts, new Results(out), System.out).run());
    }
  }

  @Command(
      name = "latency",
      mixinStandardHelpOptions = true,
      description =
          "One small task at a time on real agents (one JVM each): submit -> final state, median"
              + " and p90, against the floor of starting `sh -c true` from Java.")
  static final class Latency extends Common implements Callable<Integer> {
    @Option(
        names = "--agents",
        defaultValue = "1,10",
        description = "Agent counts; each task runs on all of them (default ${DEFAULT-VALUE}).")
    String agents;

    @Option(
        names = "--tasks",
        defaultValue = "200",
        description = "Measured tasks per agent count (default ${DEFAULT-VALUE}).")
    int tasks;

    @Option(
        names = "--warmup",
        defaultValue = "10",
        description = "Unmeasured tasks per agent count (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
        names = "--agent-jvm",
        paramLabel = "OPTS",
        description = "JVM options of each agent (default: those bin/mschedule gives agents).")
    String agentJvm;

    @Override
    public Integer call() throws Exception {
      var opts =
          new LatencyBench.Options(
              sizes(agents),
              tasks,
              warmup,
              work(),
              jvm(masterJvm),
              agentJvm == null ? LatencyBench.AGENT_JVM : jvm(agentJvm),
              token,
              Duration.ofMinutes(1));
      return runThenClean(() -> new LatencyBench(opts, new Results(out), System.out).run());
    }
  }

  @Command(
      name = "jmh",
      description = "JMH micro-benchmarks of the hot paths; arguments go to JMH (try -h).")
  static final class Jmh implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "JMH-ARGS")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      org.openjdk.jmh.Main.main(args.toArray(new String[0]));
      return 0;
    }
  }

  @Command(
      name = "plot",
      mixinStandardHelpOptions = true,
      description = "Draws docs/perf-*.png from summary.csv.")
  static final class Plot implements Callable<Integer> {
    @Option(
        names = "--summary",
        defaultValue = "bench-results/summary.csv",
        description = "Input (default ${DEFAULT-VALUE}).")
    Path summary;

    @Option(
        names = "--dir",
        defaultValue = "docs",
        description = "Where the PNGs go (default ${DEFAULT-VALUE}).")
    Path dir;

    @Override
    public Integer call() throws Exception {
      for (Path p : Plots.drawAll(Results.read(summary), dir)) {
        System.out.println("wrote " + p);
      }
      return 0;
    }
  }

  @Command(
      name = "plot-soak",
      mixinStandardHelpOptions = true,
      description = "Draws the soak's samples (heap, fds, threads per minute) into a PNG.")
  static final class PlotSoak implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CSV", description = "minute,heap_mb,fds,threads")
    Path csv;

    @Option(
        names = "--out",
        defaultValue = "docs/perf-soak.png",
        description = "The PNG (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
      System.out.println("wrote " + Plots.drawSoak(csv, out));
      return 0;
    }
  }

  @Command(
      name = "jfr-summary",
      mixinStandardHelpOptions = true,
      description = "Top methods in the execution samples of a JFR recording.")
  static final class JfrSummaryCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(names = "--top", defaultValue = "25")
    int top;

    @Override
    public Integer call() throws Exception {
      JfrSummary.print(file, top, System.out);
      return 0;
    }
  }
}
