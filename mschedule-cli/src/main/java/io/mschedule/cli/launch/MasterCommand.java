package io.mschedule.cli.launch;

import io.mschedule.master.MasterServer;
import io.mschedule.master.config.MasterConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mschedule master}: runs the master until stopped. */
@Command(
    name = "master",
    mixinStandardHelpOptions = true,
    description = "Run the master: agent port (zerorpc), HTTP API and web console.",
    subcommands = {MasterKeyCommand.class, MasterTokenCommand.class, MasterBackupCommand.class})
public final class MasterCommand implements Callable<Integer> {
  static final List<String> KEYS =
      List.of(
          MasterConfig.DATA_DIR,
          MasterConfig.AGENT_BIND,
          MasterConfig.HTTP_BIND,
          MasterConfig.API_RATE_LIMIT,
          MasterConfig.TLS_CERT,
          MasterConfig.TLS_KEY,
          MasterConfig.HEARTBEAT,
          MasterConfig.OFFLINE_AFTER_MISSED,
          MasterConfig.DB_URL,
          MasterConfig.DB_USER,
          MasterConfig.DB_PASSWORD,
          MasterConfig.DB_POOL_SIZE,
          MasterConfig.MAX_OUTPUT_BYTES,
          MasterConfig.MAX_SCRIPT_BYTES,
          MasterConfig.MAX_MESSAGE_BYTES,
          MasterConfig.MAX_TARGETS,
          MasterConfig.RESULT_GRACE,
          MasterConfig.PLAIN_AGENT_BIND,
          MasterConfig.RETENTION_DAYS,
          MasterConfig.METRICS_BIND);

  @Option(names = "--config", paramLabel = "FILE", description = "Settings file (key = value).")
  Path config;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Data directory (default " + MasterConfig.DEFAULT_DATA_DIR + ").")
  String dataDir;

  @Option(
      names = "--agent-bind",
      paramLabel = "tcp://HOST:PORT",
      description = "Agent port (default " + MasterConfig.DEFAULT_AGENT_BIND + ").")
  String agentBind;

  @Option(
      names = "--http-bind",
      paramLabel = "HOST:PORT",
      description = "HTTP API (default " + MasterConfig.DEFAULT_HTTP_BIND + ").")
  String httpBind;

  @Option(
      names = "--plain-agent-bind",
      paramLabel = "tcp://HOST:PORT",
      description =
          "Also serve unencrypted zerorpc agents here (they need a join token). Off by default.")
  String plainAgentBind;

  @Option(
      names = "--db-url",
      paramLabel = "JDBC_URL",
      description = "Database (default: embedded H2 in the data directory).")
  String dbUrl;

  @Option(
      names = "--heartbeat",
      paramLabel = "SECONDS",
      description = "Expected agent heartbeat interval (default 5).")
  Integer heartbeat;

  @Override
  public Integer call() {
    MasterConfig cfg = MasterConfig.from(settings());
    LogSetup.toFile(cfg.dataDir(), "master");
    ServiceRunner runner = new ServiceRunner();
    runner.add(MasterServer.start(cfg));
    return runner.awaitShutdown();
  }

  public Map<String, String> settings() {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put(MasterConfig.DATA_DIR, dataDir);
    flags.put(MasterConfig.AGENT_BIND, agentBind);
    flags.put(MasterConfig.HTTP_BIND, httpBind);
    flags.put(MasterConfig.DB_URL, dbUrl);
    flags.put(MasterConfig.PLAIN_AGENT_BIND, plainAgentBind);
    flags.put(MasterConfig.HEARTBEAT, heartbeat == null ? null : heartbeat.toString());
    return SettingsLoader.load(config, KEYS, System.getenv(), flags);
  }
}
