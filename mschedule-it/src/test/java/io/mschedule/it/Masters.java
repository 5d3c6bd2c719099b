package io.mschedule.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Masters sharing one PostgreSQL database, and agents listing them, as real processes under one
 * directory: the first master makes the key pairs and a join token, the others get copies before
 * they start, as an operator would give them. Closing stops every process and keeps the logs under
 * {@code target/it-logs}.
 */
final class Masters implements AutoCloseable {
  private final Path dir;
  private final String dbUrl;
  private final int heartbeat;
  private final int deadAfter;
  final List<JavaProcess> processes = new ArrayList<>();
  final Map<Integer, JavaProcess> masters = new HashMap<>();
  final Map<Integer, Api> apis = new HashMap<>();
  final Map<Integer, Integer> agentPorts = new HashMap<>();
  private String joinToken;
  private String key;

  /** Missed heartbeats after which the masters take an agent for offline. */
  static final int OFFLINE_AFTER_MISSED = 6;

  /**
   * @param heartbeat the agents' and masters' heartbeat, seconds
   * @param deadAfter {@code master-dead-after}, seconds
   */
  Masters(Path dir, String dbUrl, int heartbeat, int deadAfter) {
    this.dir = dir;
    this.dbUrl = dbUrl;
    this.heartbeat = heartbeat;
    this.deadAfter = deadAfter;
  }

  Path masterDir(int m) {
    return dir.resolve("master-" + m);
  }

  String masterId(int m) {
    return read(masterDir(m).resolve("master-id"));
  }

  /** Starts masters 1 to {@code count} and waits for their APIs. */
  void start(int count) throws IOException {
    startMaster(1);
    awaitApi(1);
    joinToken =
        Cluster.lastLine(
            JavaProcess.run(
                List.of(
                    "master",
                    "token",
                    "create",
                    "--ttl",
                    "1h",
                    "--data-dir",
                    masterDir(1).toString())));
    key =
        Cluster.lastLine(
            JavaProcess.run(List.of("master", "key", "--data-dir", masterDir(1).toString())));
    for (int m = 2; m <= count; m++) {
      Files.createDirectories(masterDir(m));
      for (String f :
          List.of("master.key", "master.pub", "order.key", "order.pub", "join-tokens")) {
        Files.copy(masterDir(1).resolve(f), masterDir(m).resolve(f));
      }
      startMaster(m);
    }
    for (int m = 2; m <= count; m++) {
      awaitApi(m);
    }
  }

  private void startMaster(int m) {
    int http = Ports.free();
    agentPorts.put(m, Ports.free());
    JavaProcess p =
        JavaProcess.start(
            dir.resolve("logs/master-" + m + ".out"),
            List.of(
                "master",
                "--data-dir",
                masterDir(m).toString(),
                "--db-url",
                dbUrl,
                "--agent-bind",
                "tcp://127.0.0.1:" + agentPorts.get(m),
                "--http-bind",
                "127.0.0.1:" + http,
                "--heartbeat",
                String.valueOf(heartbeat)),
            Map.of(
                "MSCHEDULE_DB_USER",
                "postgres",
                "MSCHEDULE_MASTER_DEAD_AFTER",
                String.valueOf(deadAfter),
                // an agent is offline after 6 missed heartbeats, not 3: with 1-s heartbeats, 3 s
                // is shorter than an agent JVM can stall on a loaded 2-core machine (a busy
                // agent was declared offline just before a task on 'all' was submitted)
                "MSCHEDULE_OFFLINE_AFTER_MISSED",
                String.valueOf(OFFLINE_AFTER_MISSED)));
    processes.add(p);
    masters.put(m, p);
    apis.put(m, new Api("http://127.0.0.1:" + http));
  }

  /** Waits for the master's API; the admin token is in the first master's data directory. */
  private void awaitApi(int m) {
    Path token = masterDir(1).resolve("admin.token");
    await("admin token")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> Files.exists(token) && Files.size(token) > 0);
    apis.get(m).token(read(token));
    await("API of master " + m)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> apis.get(m).get("/api/v1/cluster").status() == 200);
  }

  /** Starts agent {@code name} listing the masters in {@code order}, with the join token. */
  void startAgent(String name, List<Integer> order) {
    List<String> list = order.stream().map(m -> "tcp://127.0.0.1:" + agentPorts.get(m)).toList();
    processes.add(
        JavaProcess.start(
            dir.resolve("logs/agent-" + name + ".out"),
            List.of(
                "agent",
                "--data-dir",
                dir.resolve("agent-" + name).toString(),
                "--master",
                String.join(",", list),
                "--master-key",
                key,
                "--join-token",
                joinToken,
                "--heartbeat",
                String.valueOf(heartbeat),
                "--name",
                name)));
  }

  static String read(Path f) {
    try {
      return Files.readString(f).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    // the agents first, together, so none waits on a gone master; then the masters together
    List<JavaProcess> agents = new ArrayList<>(processes);
    agents.removeAll(masters.values());
    JavaProcess.closeAll(agents);
    JavaProcess.closeAll(processes);
    Path dest = Path.of("target", "it-logs", dir.getFileName().toString());
    try (var files = Files.list(dir.resolve("logs"))) {
      Files.createDirectories(dest);
      for (Path f : files.toList()) {
        Files.copy(f, dest.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // logs are a convenience
    }
  }
}
