package io.mschedule.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A master in its own JVM ({@code mschedule master}, started from this jar's class path), so its
 * CPU time, heap and threads can be measured apart from the load generator: CPU from {@code
 * /proc/PID/stat}, heap from {@code jstat} after a {@code jcmd GC.run}, profiles with {@code jcmd
 * JFR.start}.
 */
public final class MasterProcess implements AutoCloseable {
  private final Process process;
  private final Path dataDir;
  private final int agentPort;
  private final int plainPort;
  private final int httpPort;
  private final String token;

  private MasterProcess(
      Process process, Path dataDir, int agentPort, int plainPort, int httpPort, String token) {
    this.process = process;
    this.dataDir = dataDir;
    this.agentPort = agentPort;
    this.plainPort = plainPort;
    this.httpPort = httpPort;
    this.token = token;
  }

  /**
   * Starts a master on loopback with a fresh data directory and waits for its API.
   *
   * @param jvmOptions extra JVM options (e.g. {@code -Xmx1g}); empty gives the JVM's defaults, as
   *     {@code bin/mschedule master} runs it
   * @param token API token to use; when null, {@code <dataDir>/admin.token} is read if the master
   *     wrote one
   */
  public static MasterProcess start(Path dataDir, List<String> jvmOptions, String token) {
    return start(dataDir, jvmOptions, token, List.of(), java.util.Map.of());
  }

  /**
   * As {@link #start(Path, List, String)}, with more arguments for {@code mschedule master} (for
   * example {@code --db-url}) and more environment variables (for example {@code
   * MSCHEDULE_DB_USER}).
   */
  public static MasterProcess start(
      Path dataDir,
      List<String> jvmOptions,
      String token,
      List<String> masterArgs,
      java.util.Map<String, String> env) {
    int agentPort = freePort();
    int plainPort = freePort();
    int httpPort = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.mschedule.cli.Main");
    cmd.addAll(
        List.of(
            "master",
            "--data-dir",
            dataDir.toString(),
            "--agent-bind",
            "tcp://127.0.0.1:" + agentPort,
            "--http-bind",
            "127.0.0.1:" + httpPort,
            // simulated agents speak plain zerorpc (no CURVE): the compatibility listener
            "--plain-agent-bind",
            "tcp://127.0.0.1:" + plainPort));
    cmd.addAll(masterArgs);
    Process p;
    try {
      Files.createDirectories(dataDir);
      ProcessBuilder pb = new ProcessBuilder(cmd);
      // the master's speed, not its per-token API rate limit (50 requests/s by default): the
      // latency run alone makes three requests per task
      pb.environment().put("MSCHEDULE_API_RATE_LIMIT", "0");
      pb.environment().putAll(env);
      p =
          pb.redirectErrorStream(true)
              .redirectOutput(dataDir.resolve("master.out").toFile())
              .redirectInput(new File("/dev/null"))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the master", e);
    }
    MasterProcess m = new MasterProcess(p, dataDir, agentPort, plainPort, httpPort, token);
    try {
      m.awaitApi(Duration.ofSeconds(90));
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    String t = token;
    Path tokenFile = dataDir.resolve("admin.token");
    if (t == null && Files.isRegularFile(tokenFile)) {
      try {
        t = Files.readString(tokenFile).strip();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + tokenFile, e);
      }
    }
    if (t == null) {
      t = System.getenv("MSCHEDULE_TOKEN"); // a master that writes no admin.token
    }
    return new MasterProcess(p, dataDir, agentPort, plainPort, httpPort, t);
  }

  private void awaitApi(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the master exited with " + process.exitValue() + "; see " + log());
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url() + "/api/v1/agents"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200 || r.statusCode() == 401 || r.statusCode() == 403) {
          // 401/403: the API is up and wants a token; admin.token is read next
          Thread.sleep(200);
          return;
        }
      } catch (IOException e) {
        // not up yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      sleep(100);
    }
    throw new IllegalStateException("the master's API did not come up; see " + log());
  }

  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  public String endpoint() {
    return "tcp://127.0.0.1:" + agentPort;
  }

  public int agentPort() {
    return agentPort;
  }

  /** The unencrypted compatibility listener (agents there present a join token). */
  public int plainPort() {
    return plainPort;
  }

  /** The master's public CURVE key (Z85), as {@code mschedule master key} prints it. */
  public String masterKey() {
    try {
      return Files.readString(dataDir.resolve("master.pub")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the master's public key", e);
    }
  }

  private String joinToken;

  /** A join token of this master (one per run), so agents are accepted without a decision. */
  public synchronized String joinToken() {
    if (joinToken == null) {
      joinToken =
          new io.mschedule.master.security.keys.JoinTokens(dataDir, java.time.Clock.systemUTC())
              .create(Duration.ofHours(12));
    }
    return joinToken;
  }

  public String token() {
    return token;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return dataDir.resolve("master.out");
  }

  /** CPU time (user + system) the master has used so far, in nanoseconds. */
  public long cpuNanos() {
    return ProcStat.cpuNanos(process.pid());
  }

  /** The CPU time of the master's JIT compiler threads (C1 and C2), in nanoseconds. */
  public long compilerCpuNanos() {
    return ProcStat.threadCpuNanos(process.pid(), "C1 Compiler")
        + ProcStat.threadCpuNanos(process.pid(), "C2 Compiler");
  }

  /** Resident set size in bytes. */
  public long rssBytes() {
    return ProcStat.rssBytes(process.pid());
  }

  /** Live threads of the master. */
  public int threads() {
    return ProcStat.threads(process.pid());
  }

  /** Heap figures after a full collection ({@code jcmd GC.run}, then {@code jstat -gc}). */
  public Heap heapAfterGc() {
    run("jcmd", String.valueOf(pid()), "GC.run");
    String out = run("jstat", "-gc", String.valueOf(pid()));
    String[] lines = out.strip().split("\n");
    String[] head = lines[0].trim().split("\\s+");
    String[] vals = lines[lines.length - 1].trim().split("\\s+");
    double used = 0;
    double committed = 0;
    double meta = 0;
    for (int i = 0; i < head.length && i < vals.length; i++) {
      double v = Double.parseDouble(vals[i]);
      switch (head[i]) {
        case "S0U", "S1U", "EU", "OU" -> used += v;
        case "S0C", "S1C", "EC", "OC" -> committed += v;
        case "MU" -> meta = v;
        default -> {}
      }
    }
    return new Heap((long) (used * 1024), (long) (committed * 1024), (long) (meta * 1024));
  }

  /** Heap in use and committed, and metaspace in use, in bytes. */
  public record Heap(long used, long committed, long metaspace) {}

  /** Starts a JFR recording (profile settings) in the master. */
  public void startJfr(String name) {
    run("jcmd", String.valueOf(pid()), "JFR.start", "name=" + name, "settings=profile");
  }

  /** Dumps and stops the recording to {@code file}. */
  public void stopJfr(String name, Path file) {
    run(
        "jcmd",
        String.valueOf(pid()),
        "JFR.stop",
        "name=" + name,
        "filename=" + file.toAbsolutePath());
  }

  /**
   * Starts and discards a recording. The first recording in a JVM instruments the JDK's event
   * classes, and the JIT throws away much of its compiled code then (a warm master fell from ~1,600
   * to ~190 tasks/s for the next 30 s): done before a warm-up, it spares the window measured after.
   */
  public void primeJfr() {
    startJfr("prime");
    run("jcmd", String.valueOf(pid()), "JFR.stop", "name=prime");
  }

  static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", cmd) + " failed: " + new String(out, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cmd[0], e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
