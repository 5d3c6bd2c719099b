package io.mschedule.cli.launch;

import io.mschedule.cli.CliException;
import io.mschedule.cli.VersionProvider;
import io.mschedule.protocol.settings.Settings;
import io.mschedule.protocol.settings.SettingsException;
import io.mschedule.relay.Relay;
import io.mschedule.relay.RelayConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mschedule relay}: runs a datacenter's relay until stopped. Like the agent's, its flags
 * have no picocli defaults, so the environment and the settings file apply when a flag is absent.
 */
@Command(
    name = "relay",
    mixinStandardHelpOptions = true,
    subcommands = {RelayKeyCommand.class},
    description =
        "Run a relay: serve the site's agents on --agent-bind, carry their traffic to the master"
            + " over one session.",
    footer = {
      "",
      "Every setting can also come from the environment (MSCHEDULE_MASTER_KEY for master-key,",
      "...) or the --config file; a flag wins over the environment, which wins over the file."
    })
public final class RelayCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RelayCommand.class);

  /** The environment read for {@code MSCHEDULE_*} settings (tests give their own). */
  Map<String, String> env = System.getenv();

  /** Runs the relay until stopped (tests stop it). */
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
          "Data directory: relay-id, the key pair, relay.log (default "
              + RelayConfig.DEFAULT_DATA_DIR
              + ").")
  String dataDir;

  @Option(
      names = "--master",
      paramLabel = "tcp://HOST:PORT[,tcp://HOST:PORT...]",
      description =
          "The master's agent port, or several masters' separated by commas (default "
              + RelayConfig.DEFAULT_MASTER
              + ").")
  String master;

  @Option(
      names = "--master-key",
      paramLabel = "KEY",
      description =
          "The master's public key (from 'mschedule master key'), or a file holding it; with"
              + " several masters, one key for all or one per master. Required.")
  String masterKey;

  @Option(
      names = "--agent-bind",
      paramLabel = "tcp://HOST:PORT",
      description =
          "Where the site's agents connect (default " + RelayConfig.DEFAULT_AGENT_BIND + ").")
  String agentBind;

  @Option(
      names = "--plain-agent-bind",
      paramLabel = "tcp://HOST:PORT",
      description =
          "An extra, UNENCRYPTED agent port for plain zerorpc clients (they need a join token on"
              + " the master). Off by default.")
  String plainAgentBind;

  @Option(
      names = "--advertise",
      paramLabel = "tcp://HOST:PORT",
      description = "The address agents use to reach the relay, as listed by 'mschedule relays'.")
  String advertise;

  @Option(
      names = "--datacenter",
      paramLabel = "NAME",
      description = "The site's name: agents behind the relay get the label datacenter=NAME.")
  String datacenter;

  @Option(
      names = "--join-token",
      paramLabel = "TOKEN",
      description =
          "A join token: the master accepts the relay's key without 'mschedule keys accept'.")
  String joinToken;

  @Override
  public Integer call() {
    RelayConfig cfg = RelayConfig.from(settings());
    LogSetup.toFile(cfg.dataDir(), "relay");
    runner.add(start(cfg));
    return runner.awaitShutdown();
  }

  private static Relay start(RelayConfig cfg) {
    try {
      return Relay.start(cfg, VersionProvider.version());
    } catch (SettingsException e) {
      throw e;
    } catch (RuntimeException e) {
      log.debug("the relay did not start", e);
      throw new CliException("the relay did not start: " + FailureReasons.reason(e), e);
    }
  }

  /** The flags given, over the environment, over the --config file. */
  Settings settings() {
    return Settings.builder(RelayConfig.KEYS)
        .file(config)
        .environment(env)
        .flag(RelayConfig.DATA_DIR, "--data-dir", dataDir)
        .flag(RelayConfig.MASTER, "--master", master)
        .flag(RelayConfig.MASTER_KEY, "--master-key", masterKey)
        .flag(RelayConfig.AGENT_BIND, "--agent-bind", agentBind)
        .flag(RelayConfig.PLAIN_AGENT_BIND, "--plain-agent-bind", plainAgentBind)
        .flag(RelayConfig.ADVERTISE, "--advertise", advertise)
        .flag(RelayConfig.DATACENTER, "--datacenter", datacenter)
        .flag(RelayConfig.JOIN_TOKEN, "--join-token", joinToken)
        .build();
  }
}
