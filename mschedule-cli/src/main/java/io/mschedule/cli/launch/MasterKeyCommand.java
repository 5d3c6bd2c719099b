package io.mschedule.cli.launch;

import io.mschedule.cli.ExitCodes;
import io.mschedule.master.MasterServer;
import io.mschedule.protocol.keys.KeyFiles;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mschedule master key}: prints the master's public key (creating the pair if needed). */
@Command(
    name = "key",
    mixinStandardHelpOptions = true,
    description = "Print the master's public CURVE key; agents take it as --master-key.")
public final class MasterKeyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin MasterDataDirOptions dataDir;

  @Override
  public Integer call() {
    spec.commandLine()
        .getOut()
        .println(KeyFiles.publicKeyText(dataDir.resolve(), MasterServer.MASTER_KEY_NAME));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
