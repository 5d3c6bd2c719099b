package io.mschedule.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A master and N agents as separate processes on loopback, each with its own data dir. */
public final class Cluster implements AutoCloseable {
  final Path root;
  final int agentPort = Ports.free();
  public final int httpPort = Ports.free();
  final int heartbeat;
  final Api api;
  private JavaProcess master;
  private final Map<Integer, JavaProcess> agents = new TreeMap<>();
  private final List<String> extraMasterArgs = new ArrayList<>();
  private String masterKey;
  private final java.util.Map<String, String> masterEnv = new java.util.HashMap<>();
  private String joinToken;
  private final java.util.Map<String, String> agentEnv = new java.util.HashMap<>();
  private List<String> jvm;

  private Cluster(Path root, int heartbeat) {
    this.root = root;
    this.heartbeat = heartbeat;
    this.api = new Api("http://127.0.0.1:" + httpPort);
  }

  /** Starts a master and {@code n} agents and waits until all are online. */
  public static Cluster start(Path root, int n, int heartbeatSeconds) {
    return create(root, heartbeatSeconds).up(n);
  }

  /** A cluster not started yet, so that master flags can be added first. */
  static Cluster create(Path root, int heartbeatSeconds) {
    return new Cluster(root, heartbeatSeconds);
  }

  /** Starts the master and {@code n} agents and waits until all are online. */
  Cluster up(int n) {
    try {
      startMaster();
      // the two short commands the agents need run side by side
      var token = java.util.concurrent.CompletableFuture.supplyAsync(this::joinToken);
      masterKey();
      token.join();
      for (int i = 1; i <= n; i++) {
        startAgent(i);
      }
      awaitOnline(n, Duration.ofSeconds(60));
      return this;
    } catch (RuntimeException | Error e) {
      close(); // no try-with-resources owns us yet: stop the processes and keep their logs
      throw e;
    }
  }

  String endpoint() {
    return "tcp://127.0.0.1:" + agentPort;
  }

  /** An environment variable for the master process (before it starts). */
  Cluster masterEnv(String name, String value) {
    masterEnv.put(name, value);
    return this;
  }

  /** An environment variable for the agent processes (before they start). */
  Cluster agentEnv(String name, String value) {
    agentEnv.put(name, value);
    return this;
  }

  /**
   * JVM options of the master and agent processes instead of the small default (before they start);
   * {@code mschedule.it.jvm} still wins.
   */
  Cluster jvm(String... options) {
    jvm = List.of(options);
    return this;
  }

  /** Extra flags for the master (before it starts). */
  Cluster masterArgs(String... args) {
    extraMasterArgs.addAll(List.of(args));
    return this;
  }

  void startMaster() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "master",
                "--data-dir",
                root.resolve("master").toString(),
                "--agent-bind",
                endpoint(),
                "--http-bind",
                "127.0.0.1:" + httpPort,
                "--heartbeat",
                String.valueOf(heartbeat)));
    args.addAll(extraMasterArgs);
    master = JavaProcess.start(root.resolve("logs/master.out"), args, masterEnv, jvm);
    api.token(adminToken());
    await("master API up")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> api.get("/api/v1/agents").status() == 200);
  }

  /** The admin token the master wrote on its first start ({@code <data dir>/admin.token}). */
  public String adminToken() {
    Path f = root.resolve("master").resolve("admin.token");
    await("admin token of the master")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> Files.exists(f) && Files.size(f) > 0);
    try {
      return Files.readString(f).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JavaProcess startAgent(int i) {
    return startAgent(i, masterKey(), joinToken());
  }

  /** Starts agent {@code i} without a join token: its key waits for an operator. */
  public void startPendingAgent(int i) {
    startAgent(i, masterKey(), null);
  }

  /** Starts agent {@code i} connecting to {@code masterEndpoint} (a proxy, say). */
  JavaProcess startAgentVia(int i, String masterEndpoint) {
    return startAgent(i, masterEndpoint, masterKey(), joinToken(), List.of());
  }

  /** Starts agent {@code i} connecting to {@code endpoints} (a relay, say) with their keys. */
  JavaProcess startAgentAt(int i, String endpoints, String keys, List<String> extra) {
    return startAgent(i, endpoints, keys, joinToken(), extra);
  }

  /** Starts agent {@code i} with the given master key and join token (null: none). */
  JavaProcess startAgent(int i, String masterKey, String joinToken) {
    return startAgent(i, endpoint(), masterKey, joinToken, List.of());
  }

  /** As above, with more agent flags ({@code --name}, {@code --label}). */
  JavaProcess startAgent(int i, String masterKey, String joinToken, List<String> extra) {
    return startAgent(i, endpoint(), masterKey, joinToken, extra);
  }

  private JavaProcess startAgent(
      int i, String masterEndpoint, String masterKey, String joinToken, List<String> extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "agent",
                "--data-dir",
                agentDir(i).toString(),
                "--master",
                masterEndpoint,
                "--master-key",
                masterKey,
                "--heartbeat",
                String.valueOf(heartbeat),
                "--label",
                "n=" + i));
    if (joinToken != null) {
      args.add("--join-token");
      args.add(joinToken);
    }
    args.addAll(extra);
    JavaProcess p =
        JavaProcess.start(root.resolve("logs/agent-" + i + ".out"), args, agentEnv, jvm);
    agents.put(i, p);
    return p;
  }

  Path masterDir() {
    return root.resolve("master");
  }

  /** The master's public key, as {@code mschedule master key} prints it. */
  String masterKey() {
    if (masterKey == null) {
      masterKey =
          lastLine(JavaProcess.run(List.of("master", "key", "--data-dir", masterDir().toString())));
    }
    return masterKey;
  }

  /** A join token from {@code mschedule master token create}, made once per cluster. */
  String joinToken() {
    if (joinToken == null) {
      joinToken = newJoinToken();
    }
    return joinToken;
  }

  String newJoinToken() {
    return lastLine(
        JavaProcess.run(
            List.of(
                "master", "token", "create", "--ttl", "1h", "--data-dir", masterDir().toString())));
  }

  /** What a client command printed (stdout and stderr together) and its exit status. */
  record CliResult(int code, String out) {
    String lastLine() {
      return Cluster.lastLine(out);
    }
  }

  /** Runs {@code mschedule ARGS} against this cluster with its admin token ({@link #cliAs}). */
  CliResult cli(String... args) throws Exception {
    return cliAs(adminToken(), args);
  }

  /**
   * Runs {@code mschedule ARGS} against this cluster with API token {@code token}, in a client JVM
   * that starts fast (C1 only, serial GC) and with a CLI configuration directory of its own.
   */
  CliResult cliAs(String token, String... args) throws Exception {
    List<String> jvm = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    ClassArchives.Use archive = ClassArchives.use(JavaProcess.JAR, jvm);
    ProcessBuilder pb =
        new ProcessBuilder(archive.command(JavaProcess.JAR, jvm, List.of(args)))
            .redirectErrorStream(true);
    pb.environment().put("MSCHEDULE_SERVER", "http://127.0.0.1:" + httpPort);
    pb.environment().put("MSCHEDULE_TOKEN", token);
    pb.environment().put("XDG_CONFIG_HOME", root.resolve("cli-config").toString());
    try {
      Process p = pb.start();
      archive.started(p);
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("mschedule " + List.of(args) + " did not end within 60 s: " + out);
      }
      return new CliResult(p.exitValue(), out);
    } finally {
      archive.ended();
    }
  }

  static String lastLine(String out) {
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1].trim();
  }

  Path agentDir(int i) {
    return root.resolve("agent-" + i);
  }

  /** The id agent {@code i} keeps in its myid file. */
  public String agentId(int i) {
    Path f = agentDir(i).resolve("myid");
    await("myid of agent " + i)
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.exists(f) && Files.size(f) > 0);
    try {
      return Files.readString(f).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JavaProcess agent(int i) {
    return agents.get(i);
  }

  JavaProcess master() {
    return master;
  }

  void awaitOnline(int n, Duration within) {
    try {
      await("" + n + " agents online")
          .atMost(within)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> countState("online") >= n);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          n + " agents not online within " + within + "\n" + whyNotOnline(), e);
    }
  }

  /**
   * What the master lists, which processes still run and the ends of their logs: what a CI failure
   * needs to be read without the machine.
   */
  private String whyNotOnline() {
    StringBuilder out = new StringBuilder();
    try {
      for (JsonNode a : api.ok("/api/v1/agents")) {
        out.append("listed: ")
            .append(a.path("id").asText())
            .append(' ')
            .append(a.path("state").asText())
            .append(' ')
            .append(a.path("key").asText())
            .append('\n');
      }
    } catch (RuntimeException e) {
      out.append("agents not readable: ").append(e).append('\n');
    }
    if (master != null) {
      out.append(tail("master", master));
    }
    agents.forEach((i, p) -> out.append(tail("agent-" + i, p)));
    return out.toString();
  }

  private static String tail(String name, JavaProcess p) {
    List<String> lines = p.log().lines().toList();
    return "--- "
        + name
        + (p.alive() ? " (running)" : " (ended)")
        + ", last lines of its log:\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()))
        + "\n";
  }

  int countState(String state) {
    int n = 0;
    for (JsonNode a : api.ok("/api/v1/agents")) {
      if (state.equals(a.get("state").asText())) {
        n++;
      }
    }
    return n;
  }

  String stateOf(String agentId) {
    return api.ok("/api/v1/agents/" + agentId).get("state").asText();
  }

  /** Submits a task and returns its id. */
  String submit(Map<String, Object> body) {
    Api.Response r = api.post("/api/v1/tasks", body);
    if (r.status() != 201) {
      throw new AssertionError("submit -> " + r.status() + " " + r.body());
    }
    return r.body().get("id").asText();
  }

  /** Waits until the task and all its runs are final; returns it with outputs. */
  JsonNode awaitEnd(String taskId, Duration within) {
    try {
      await("task " + taskId + " ends")
          .atMost(within)
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(() -> api.ok("/api/v1/tasks/" + taskId).get("finished_at").isTextual());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "task " + taskId + " did not end within " + within + ": " + unfinished(taskId), e);
    }
    return api.ok("/api/v1/tasks/" + taskId);
  }

  /** The task's state and its runs that are not final, for a failure message. */
  private String unfinished(String taskId) {
    try {
      JsonNode t = api.ok("/api/v1/tasks/" + taskId);
      StringBuilder out = new StringBuilder("state " + t.path("state").asText());
      int shown = 0;
      for (JsonNode r : t.path("runs")) {
        if (r.path("finished_at").isTextual() || shown++ >= 10) {
          continue;
        }
        out.append("; run on ")
            .append(r.path("agent_id").asText())
            .append(" ")
            .append(r.path("state").asText());
      }
      return out.toString();
    } catch (RuntimeException e) {
      return "(task not readable: " + e + ")";
    }
  }

  @Override
  public void close() {
    JavaProcess.closeAll(agents.values()); // the agents first, so none waits on a gone master
    if (master != null) {
      master.close();
    }
    keepLogs();
  }

  /** Copies the processes' logs to target/it-logs so a failed run can be read afterwards. */
  private void keepLogs() {
    Path logs = root.resolve("logs");
    Path dest = Path.of("target", "it-logs", root.getFileName().toString());
    try (var files = Files.list(logs)) {
      Files.createDirectories(dest);
      for (Path f : files.toList()) {
        Files.copy(
            f, dest.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // logs are a convenience
    }
  }
}
