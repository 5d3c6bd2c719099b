package io.mschedule.bench;

import io.mschedule.agent.Agent;
import io.mschedule.agent.AgentConfig;
import io.mschedule.agent.process.LocalProcessLauncher;
import io.mschedule.cli.client.EventListener;
import io.mschedule.cli.client.EventStream;
import io.mschedule.cli.client.MasterClient;
import io.mschedule.cli.client.Parallel;
import io.mschedule.cli.client.Run;
import io.mschedule.cli.client.RunState;
import io.mschedule.cli.client.Task;
import io.mschedule.cli.client.TaskRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fan-out with real processes: one master (its own JVM) and N agents with the real {@link
 * LocalProcessLauncher}, hosted in this JVM. Each round runs {@code hostname} on all agents with
 * {@code parallel 0} and times submit → task final (the last result recorded, as {@code mschedule
 * run} sees it over the event stream). The floor is the same number of {@code /bin/sh -c hostname}
 * processes started directly from Java, all at once, one thread each (as the agents do), with their
 * output read. Floor and mschedule rounds alternate, so both see the same machine.
 */
public final class FanOutBench {

  /** Settings of one fan-out benchmark. */
  public record Options(
      List<Integer> sizes,
      int runs,
      int warmup,
      String script,
      Path workDir,
      List<String> masterJvm,
      String token,
      Duration timeout,
      int agentsPerJvm) {}

  /** The figures for one size; times in milliseconds. */
  public record SizeResult(
      int n, Stats floorMs, Stats mscheduleMs, Stats ratio, Stats masterSpanMs, int runsChecked) {}

  private final Options o;
  private final Results results;
  private final PrintStream out;

  public FanOutBench(Options options, Results results, PrintStream out) {
    this.o = options;
    this.results = results;
    this.out = out;
  }

  public List<SizeResult> run() throws Exception {
    List<SizeResult> all = new ArrayList<>();
    for (int n : o.sizes()) {
      all.add(runSize(n));
    }
    out.println();
    out.println("fan-out, real processes: submit -> last result, ms, median (min-max)");
    out.printf("%6s  %-26s  %-26s  %-22s%n", "N", "floor (sh -c)", "mschedule", "ratio");
    for (SizeResult r : all) {
      out.printf(
          "%6d  %-26s  %-26s  %-22s%n",
          r.n(),
          r.floorMs().format("%.1f"),
          r.mscheduleMs().format("%.1f"),
          r.ratio().format("%.2f"));
    }
    return all;
  }

  private SizeResult runSize(int n) throws Exception {
    Path root = o.workDir().resolve("fanout-" + n + "-" + System.currentTimeMillis());
    out.printf(
        "fan-out N=%d: starting a master and %d agents (work dir %s; load average %s)%n",
        n, n, root, ProcStat.loadAverage());
    List<Agent> agents = new ArrayList<>(n);
    List<Process> hosts = new ArrayList<>();
    try (MasterProcess master =
        MasterProcess.start(root.resolve("master"), o.masterJvm(), o.token())) {
      MasterClient client = new MasterClient(master.url(), master.token(), Duration.ofMinutes(2));
      try {
        for (int i = 0; i < n; i++) {
          agents.add(
              Agent.start(
                  agentConfig(
                      root.resolve("agents/" + i),
                      master.endpoint(),
                      master.masterKey(),
                      master.joinToken()),
                  new LocalProcessLauncher(),
                  "bench"));
        }
        awaitOnline(client, n, Duration.ofSeconds(60 + n / 5));
        String expected = "hostname".equals(o.script().strip()) ? hostname() : null;
        for (int w = 0; w < o.warmup(); w++) {
          floorOnce(n);
          try {
            mscheduleOnce(client, n, expected);
          } catch (Exception e) {
            out.printf("  N=%d warm-up round FAILED: %s%n", n, e.getMessage());
            awaitOnline(client, n, Duration.ofSeconds(60 + n / 5));
          }
        }
        List<Double> floor = new ArrayList<>();
        List<Double> ms = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        List<Double> span = new ArrayList<>();
        int checked = 0;
        int failed = 0;
        for (int r = 0; r < o.runs() + failed && failed <= o.runs(); r++) {
          double f;
          Round m;
          try {
            if (r % 2 == 0) {
              f = floorOnce(n);
              out.printf("  N=%d round %d: floor %.1f ms%n", n, r + 1, f);
              m = mscheduleOnce(client, n, expected);
            } else {
              m = mscheduleOnce(client, n, expected);
              out.printf("  N=%d round %d: mschedule %.1f ms%n", n, r + 1, m.millis());
              f = floorOnce(n);
            }
          } catch (Exception e) {
            // reported and not counted: a round where runs were lost says the machine could not
            // keep up, not how fast mschedule is; the count goes to the summary
            failed++;
            out.printf("  N=%d round %d FAILED: %s%n", n, r + 1, e.getMessage());
            awaitOnline(client, n, Duration.ofSeconds(60 + n / 5));
            continue;
          }
          floor.add(f);
          ms.add(m.millis());
          span.add(m.masterSpanMillis());
          ratio.add(m.millis() / f);
          checked += m.runs();
          out.printf(
              "  N=%d round %d: floor %.1f ms, mschedule %.1f ms (master: %.0f ms), ratio %.2f%n",
              n, r + 1, f, m.millis(), m.masterSpanMillis(), m.millis() / f);
        }
        results.add("fanout", n, "failed_rounds", "rounds", new Stats(failed, failed, failed, 1));
        out.printf(
            "  N=%d: done (%d failed rounds), load average %s%n",
            n, failed, ProcStat.loadAverage());
        SizeResult res =
            new SizeResult(
                n, Stats.of(floor), Stats.of(ms), Stats.of(ratio), Stats.of(span), checked);
        results.add("fanout", n, "floor", "ms", res.floorMs());
        results.add("fanout", n, "mschedule", "ms", res.mscheduleMs());
        results.add("fanout", n, "ratio", "x", res.ratio());
        results.add("fanout", n, "master_span", "ms", res.masterSpanMs());
        return res;
      } finally {
        closeAll(agents);
        stopHosts(hosts);
      }
    }
  }

  /** Starts a JVM with agents first .. first+count-1 ({@link AgentHost}). */
  private static Process startHost(MasterProcess master, Path dir, int first, int count, Path log)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.add(AgentHost.class.getName());
    cmd.addAll(
        List.of(
            master.endpoint(),
            dir.toString(),
            String.valueOf(first),
            String.valueOf(count),
            master.masterKey(),
            master.joinToken()));
    Files.createDirectories(dir);
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(log.toFile()).start();
    String line =
        new java.io.BufferedReader(
                new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    if (!"ready".equals(line)) {
      p.destroyForcibly();
      throw new IllegalStateException("agent host did not start; see " + log);
    }
    return p;
  }

  private static void stopHosts(List<Process> hosts) {
    for (Process p : hosts) {
      try {
        p.getOutputStream().close(); // the host closes its agents and exits
      } catch (IOException e) {
        p.destroy();
      }
    }
    for (Process p : hosts) {
      try {
        if (!p.waitFor(40, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }

  static AgentConfig agentConfig(Path dir, String endpoint, String masterKey, String joinToken) {
    return AgentConfig.from(
        Map.of(
            AgentConfig.DATA_DIR, dir.toString(),
            AgentConfig.MASTER, endpoint,
            AgentConfig.MASTER_KEY, masterKey,
            AgentConfig.JOIN_TOKEN, joinToken));
  }

  static void awaitOnline(MasterClient client, int n, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    int online = 0;
    while (System.nanoTime() < end) {
      online = (int) client.agents().stream().filter(a -> a.isOnline()).count();
      if (online >= n) {
        return;
      }
      MasterProcess.sleep(200);
    }
    throw new IllegalStateException("only " + online + " of " + n + " agents came online");
  }

  /** One mschedule round: elapsed ms client-side, the master's own span, runs checked. */
  record Round(double millis, double masterSpanMillis, int runs) {}

  private Round mscheduleOnce(MasterClient client, int n, String expectedOutput) throws Exception {
    CompletableFuture<Task> end = new CompletableFuture<>();
    long t0 = System.nanoTime();
    Task submitted =
        client.submit(TaskRequest.of(o.script(), List.of("all")).withParallel(Parallel.of(0)));
    AtomicReference<Long> t1 = new AtomicReference<>();
    try (EventStream es =
        client.events(
            submitted.id(),
            new EventListener() {
              @Override
              public void onTask(Task task) {
                if (task.state().isFinal() && t1.get() == null) {
                  t1.set(System.nanoTime());
                  end.complete(task);
                }
              }

              @Override
              public void onClosed(Throwable error) {
                if (error != null) {
                  end.completeExceptionally(error);
                }
              }
            })) {
      end.get(o.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }
    double millis = (t1.get() - t0) / 1e6;
    Task done = client.task(submitted.id());
    if (done.runs().size() != n) {
      throw new IllegalStateException(
          "task " + done.id() + " has " + done.runs().size() + " runs, expected " + n);
    }
    Instant last = done.createdAt();
    for (Run r : done.runs()) {
      if (r.state() != RunState.SUCCEEDED) {
        throw new IllegalStateException(
            "run on " + r.hostname() + " ended " + r.state() + ": " + r.output());
      }
      if (expectedOutput != null && !expectedOutput.equals(r.output())) {
        throw new IllegalStateException(
            "run on "
                + r.hostname()
                + " printed '"
                + r.output()
                + "', expected '"
                + expectedOutput
                + "'");
      }
      if (r.finishedAt() != null && r.finishedAt().isAfter(last)) {
        last = r.finishedAt();
      }
    }
    double span = Duration.between(done.createdAt(), last).toNanos() / 1e6;
    return new Round(millis, span, n);
  }

  /** The floor: n {@code /bin/sh -c SCRIPT} processes at once, output read; ms. */
  double floorOnce(int n) throws InterruptedException {
    CountDownLatch ready = new CountDownLatch(n);
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(n);
    AtomicInteger failures = new AtomicInteger();
    AtomicReference<String> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Thread t =
          new Thread(
              () -> {
                ready.countDown();
                try {
                  go.await();
                  Process p =
                      new ProcessBuilder("/bin/sh", "-c", o.script())
                          .redirectErrorStream(true)
                          .start();
                  p.getOutputStream().close();
                  p.getInputStream().readAllBytes();
                  if (p.waitFor() != 0) {
                    failures.incrementAndGet();
                  }
                } catch (IOException | RuntimeException e) {
                  failures.incrementAndGet();
                  failure.set(e.toString());
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  done.countDown();
                }
              },
              "floor-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    ready.await();
    long t0 = System.nanoTime();
    go.countDown();
    done.await();
    long t1 = System.nanoTime();
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " floor processes failed: " + failure.get());
    }
    for (Thread t : threads) {
      t.join();
    }
    return (t1 - t0) / 1e6;
  }

  static String hostname() {
    try {
      Process p = new ProcessBuilder("/bin/sh", "-c", "hostname").start();
      String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Closes every agent at once, one thread each: an agent's close can wait seconds for its
   * connection to wind down, and closing them one after the other would take minutes at N=500.
   */
  static void closeAll(List<Agent> agents) {
    List<Thread> closers = new ArrayList<>();
    for (Agent a : agents) {
      Thread t = new Thread(a::close, "close-agent");
      t.setDaemon(true);
      t.start();
      closers.add(t);
    }
    for (Thread t : closers) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
