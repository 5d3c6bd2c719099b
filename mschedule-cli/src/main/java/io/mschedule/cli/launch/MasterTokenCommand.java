package io.mschedule.cli.launch;

import io.mschedule.cli.DurationConverter;
import io.mschedule.cli.ExitCodes;
import io.mschedule.master.security.keys.JoinTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mschedule master token create --ttl 24h}: a join token for automated agent roll-outs. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description =
        "Join tokens: agents presenting one are accepted without 'mschedule keys accept'.",
    subcommands = MasterTokenCommand.Create.class)
public final class MasterTokenCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a join token; it is printed on the last line (stored hashed).")
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        defaultValue = "24h",
        description =
            "How long it is valid: 3600 (seconds), 30m, 24h, 7d (default ${DEFAULT-VALUE}).")
    String ttl;

    @Mixin MasterDataDirOptions dataDir;

    @Override
    public Integer call() {
      Duration d = DurationConverter.positive(spec.commandLine(), "--ttl", ttl);
      String token = new JoinTokens(dataDir.resolve(), Clock.systemUTC()).create(d);
      var out = spec.commandLine().getOut();
      out.println("join token valid for " + ttl + "; give it to agents as --join-token:");
      out.println(token);
      out.flush();
      return ExitCodes.OK;
    }
  }
}
