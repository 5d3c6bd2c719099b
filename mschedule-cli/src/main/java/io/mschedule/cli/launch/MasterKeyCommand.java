package io.mschedule.cli.launch;

import io.mschedule.cli.ExitCodes;
import io.mschedule.master.MasterServer;
import io.mschedule.protocol.keys.KeyFiles;
import io.mschedule.protocol.signing.OrderKeys;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mschedule master key}: prints the master's public key (creating the pair if needed). */
@Command(
    name = "key",
    mixinStandardHelpOptions = true,
    description = {
      "Print the master's public CURVE key; agents take it as --master-key.",
      "With --order: the public half of the key the master signs orders with; agents take it as"
          + " --order-key."
    })
public final class MasterKeyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin MasterDataDirOptions dataDir;

  @Option(
      names = "--order",
      description =
          "Print the order key (Ed25519, Base64 of its 32 bytes) instead of the CURVE key.")
  boolean order;

  @Override
  public Integer call() {
    Path dir = dataDir.resolve();
    spec.commandLine()
        .getOut()
        .println(
            order
                ? OrderKeys.encode(OrderKeys.loadOrCreate(dir).getPublic())
                : KeyFiles.publicKeyText(dir, MasterServer.MASTER_KEY_NAME));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
