package io.mschedule.cli.launch;

import io.mschedule.agent.Agent;
import io.mschedule.agent.AgentConfig;
import io.mschedule.cli.VersionProvider;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mschedule agent}: runs an agent until stopped. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = "Run an agent: connect to the master, run the scripts it sends.")
public final class AgentCommand implements Callable<Integer> {
  static final List<String> KEYS =
      List.of(
          AgentConfig.DATA_DIR,
          AgentConfig.MASTER,
          AgentConfig.LABELS,
          AgentConfig.HEARTBEAT,
          AgentConfig.FACTS_REFRESH,
          AgentConfig.CALL_TIMEOUT,
          AgentConfig.MAX_OUTPUT_BYTES,
          AgentConfig.KILL_GRACE,
          AgentConfig.MAX_CONCURRENT_RUNS,
          AgentConfig.MASTER_KEY,
          AgentConfig.JOIN_TOKEN,
          AgentConfig.METRICS_BIND);

  @Option(names = "--config", paramLabel = "FILE", description = "Settings file (key = value).")
  Path config;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Data directory: myid, spool, agent.log (default " + AgentConfig.DEFAULT_DATA_DIR + ").")
  String dataDir;

  @Option(
      names = "--master",
      paramLabel = "tcp://HOST:PORT",
      description = "The master's agent port (default " + AgentConfig.DEFAULT_MASTER + ").")
  String master;

  @Option(
      names = "--master-key",
      paramLabel = "KEY",
      description =
          "The master's public key (from 'mschedule master key'), or a file holding it. Required.")
  String masterKey;

  @Option(
      names = "--join-token",
      paramLabel = "TOKEN",
      description =
          "A join token (from 'mschedule master token create'): joins without waiting for"
              + " 'mschedule keys accept'.")
  String joinToken;

  @Option(
      names = "--label",
      paramLabel = "K=V",
      description = "A label for targeting (repeatable).")
  List<String> labels;

  @Option(
      names = "--heartbeat",
      paramLabel = "SECONDS",
      description = "Heartbeat interval (default 5).")
  Integer heartbeat;

  @Override
  public Integer call() {
    AgentConfig cfg = AgentConfig.from(settings());
    LogSetup.toFile(cfg.dataDir(), "agent");
    ServiceRunner runner = new ServiceRunner();
    runner.add(Agent.start(cfg, VersionProvider.version()));
    return runner.awaitShutdown();
  }

  Map<String, String> settings() {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put(AgentConfig.DATA_DIR, dataDir);
    flags.put(AgentConfig.MASTER, master);
    flags.put(AgentConfig.LABELS, labels == null ? null : String.join(",", labels));
    flags.put(AgentConfig.HEARTBEAT, heartbeat == null ? null : heartbeat.toString());
    flags.put(AgentConfig.MASTER_KEY, masterKey);
    flags.put(AgentConfig.JOIN_TOKEN, joinToken);
    return SettingsLoader.load(config, KEYS, System.getenv(), flags);
  }
}
