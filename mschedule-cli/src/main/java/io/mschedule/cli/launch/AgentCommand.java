package io.mschedule.cli.launch;

import io.mschedule.agent.Agent;
import io.mschedule.agent.AgentConfig;
import io.mschedule.cli.VersionProvider;
import io.mschedule.protocol.settings.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mschedule agent}: runs an agent until stopped. Its flags have no picocli defaults: a flag
 * counts only when given, so the environment and the settings file apply otherwise.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = "Run an agent: connect to the master, run the scripts it sends.",
    footer = {
      "",
      "Every setting can also come from the environment (MSCHEDULE_MASTER_KEY for master-key,",
      "...) or the --config file; a flag wins over the environment, which wins over the file."
    })
public final class AgentCommand implements Callable<Integer> {
  /** The environment read for {@code MSCHEDULE_*} settings (tests give their own). */
  Map<String, String> env = System.getenv();

  /** Runs the agent until stopped (tests stop it). */
  final ServiceRunner runner = new ServiceRunner();

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Settings file: 'key = value' lines, # comments; unknown keys are errors.")
  Path config;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Data directory: myid, spool, agent.log (default " + AgentConfig.DEFAULT_DATA_DIR + ").")
  String dataDir;

  @Option(
      names = "--master",
      paramLabel = "tcp://HOST:PORT[,tcp://HOST:PORT...]",
      description =
          "The master's agent port, or several masters' separated by commas: the agent holds one"
              + " and moves to the next when it is unreachable (default "
              + AgentConfig.DEFAULT_MASTER
              + ").")
  String master;

  @Option(
      names = "--master-key",
      paramLabel = "KEY",
      description =
          "The master's public key (from 'mschedule master key'), or a file holding it; with"
              + " several masters, one key for all or one per master separated by commas."
              + " Required.")
  String masterKey;

  @Option(
      names = "--order-key",
      paramLabel = "KEY",
      description =
          "The key the master signs orders with (last line of 'mschedule master key --order'), or"
              + " a file holding it: orders not signed with it are refused. Default: the key the"
              + " master gives on first contact, pinned in the data directory.")
  String orderKey;

  @Option(
      names = "--join-token",
      paramLabel = "TOKEN",
      description =
          "A join token (from 'mschedule master token create'): joins without waiting for"
              + " 'mschedule keys accept'.")
  String joinToken;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description =
          "The agent's name, shown by the master and usable in targets (default: the hostname);"
              + " tells apart cloned hosts that share a hostname.")
  String name;

  @Option(
      names = "--label",
      paramLabel = "K=V",
      description = "A label for targeting (repeatable; replaces the labels setting).")
  List<String> labels;

  @Option(
      names = "--heartbeat",
      paramLabel = "SECONDS",
      description = "Heartbeat interval (default " + AgentConfig.DEFAULT_HEARTBEAT_SECONDS + ").")
  String heartbeat;

  @Override
  public Integer call() {
    AgentConfig cfg = AgentConfig.from(settings());
    LogSetup.toFile(cfg.dataDir(), "agent");
    runner.add(AgentStartupFailures.agent(() -> Agent.start(cfg, VersionProvider.version())));
    return runner.awaitShutdown();
  }

  /** The flags given, over the environment, over the --config file. */
  Settings settings() {
    return Settings.builder(AgentConfig.KEYS)
        .file(config)
        .environment(env)
        .flag(AgentConfig.DATA_DIR, "--data-dir", dataDir)
        .flag(AgentConfig.MASTER, "--master", master)
        .flag(AgentConfig.LABELS, "--label", labels == null ? null : String.join(",", labels))
        .flag(AgentConfig.HEARTBEAT, "--heartbeat", heartbeat)
        .flag(AgentConfig.MASTER_KEY, "--master-key", masterKey)
        .flag(AgentConfig.ORDER_KEY, "--order-key", orderKey)
        .flag(AgentConfig.JOIN_TOKEN, "--join-token", joinToken)
        .flag(AgentConfig.NAME, "--name", name)
        .build();
  }
}
