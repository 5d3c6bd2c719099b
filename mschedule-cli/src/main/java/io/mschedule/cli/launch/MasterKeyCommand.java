package io.mschedule.cli.launch;

import io.mschedule.cli.ExitCodes;
import io.mschedule.master.MasterServer;
import io.mschedule.master.config.MasterConfig;
import io.mschedule.protocol.keys.KeyFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mschedule master key}: prints the master's public key (creating the pair if needed). */
@Command(
    name = "key",
    mixinStandardHelpOptions = true,
    description = "Print the master's public CURVE key; agents take it as --master-key.")
public final class MasterKeyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "The master's data directory (default " + MasterConfig.DEFAULT_DATA_DIR + ").")
  Path dataDir;

  @Override
  public Integer call() {
    Path dir =
        dataDir != null
            ? dataDir
            : Path.of(
                System.getenv().getOrDefault("MSCHEDULE_DATA_DIR", MasterConfig.DEFAULT_DATA_DIR));
    spec.commandLine()
        .getOut()
        .println(KeyFiles.publicKeyText(dir.toAbsolutePath(), MasterServer.MASTER_KEY_NAME));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
