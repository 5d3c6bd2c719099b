package io.mschedule.cli.launch;

import io.mschedule.master.MasterServer;
import io.mschedule.master.config.MasterConfig;
import io.mschedule.protocol.settings.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mschedule master}: runs the master until stopped. Its flags have no picocli defaults: a
 * flag counts only when given, so the environment and the settings file apply otherwise.
 */
@Command(
    name = "master",
    mixinStandardHelpOptions = true,
    description = "Run the master: agent port (zerorpc), HTTP API and web console.",
    footer = {
      "",
      "Every setting can also come from the environment (MSCHEDULE_DATA_DIR for data-dir, ...)",
      "or the --config file; a flag wins over the environment, which wins over the file."
    },
    subcommands = {MasterKeyCommand.class, MasterTokenCommand.class, MasterBackupCommand.class})
public final class MasterCommand implements Callable<Integer> {
  /** The environment read for {@code MSCHEDULE_*} settings (tests give their own). */
  Map<String, String> env = System.getenv();

  /** Runs the master until stopped (tests stop it). */
  final ServiceRunner runner = new ServiceRunner();

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Settings file: 'key = value' lines, # comments; unknown keys are errors.")
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
      description =
          "Expected agent heartbeat interval (default "
              + MasterConfig.DEFAULT_HEARTBEAT_SECONDS
              + ").")
  String heartbeat;

  @Override
  public Integer call() {
    MasterConfig cfg = MasterConfig.from(settings());
    LogSetup.toFile(cfg.dataDir(), "master");
    runner.add(StartupFailures.master(cfg, () -> MasterServer.start(cfg)));
    return runner.awaitShutdown();
  }

  /** The flags given, over the environment, over the --config file. */
  Settings settings() {
    return Settings.builder(MasterConfig.KEYS)
        .file(config)
        .environment(env)
        .flag(MasterConfig.DATA_DIR, "--data-dir", dataDir)
        .flag(MasterConfig.AGENT_BIND, "--agent-bind", agentBind)
        .flag(MasterConfig.HTTP_BIND, "--http-bind", httpBind)
        .flag(MasterConfig.PLAIN_AGENT_BIND, "--plain-agent-bind", plainAgentBind)
        .flag(MasterConfig.DB_URL, "--db-url", dbUrl)
        .flag(MasterConfig.HEARTBEAT, "--heartbeat", heartbeat)
        .build();
  }
}
