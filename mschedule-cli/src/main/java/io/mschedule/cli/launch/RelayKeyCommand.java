package io.mschedule.cli.launch;

import io.mschedule.cli.ExitCodes;
import io.mschedule.protocol.settings.Settings;
import io.mschedule.relay.Relay;
import io.mschedule.relay.RelayConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mschedule relay key}: prints the relay's public key (creating the pair if needed). */
@Command(
    name = "key",
    mixinStandardHelpOptions = true,
    description = "Print the relay's public CURVE key; agents behind it take it as --master-key.")
public final class RelayKeyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** The environment read for {@code MSCHEDULE_*} settings (tests give their own). */
  Map<String, String> env = System.getenv();

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "The relay's settings file (for its data-dir).")
  Path config;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "The relay's data directory (default " + RelayConfig.DEFAULT_DATA_DIR + ").")
  String dataDir;

  @Override
  public Integer call() {
    Path dir =
        Settings.builder(RelayConfig.KEYS)
            .file(config)
            .environment(env)
            .flag(RelayConfig.DATA_DIR, "--data-dir", dataDir)
            .build()
            .path(RelayConfig.DATA_DIR, RelayConfig.DEFAULT_DATA_DIR);
    spec.commandLine().getOut().println(Relay.publicKey(dir));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
