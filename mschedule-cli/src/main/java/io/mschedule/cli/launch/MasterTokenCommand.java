package io.mschedule.cli.launch;

import io.mschedule.cli.ExitCodes;
import io.mschedule.master.security.keys.JoinTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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
        description = "How long it is valid: 30m, 24h, 7d (default ${DEFAULT-VALUE}).")
    String ttl;

    @Mixin MasterDataDirOptions dataDir;

    @Override
    public Integer call() {
      Duration d = parse(spec, ttl);
      String token = new JoinTokens(dataDir.resolve(), Clock.systemUTC()).create(d);
      var out = spec.commandLine().getOut();
      out.println("join token valid for " + ttl + "; give it to agents as --join-token:");
      out.println(token);
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** Parses {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d}. */
  static Duration parse(CommandSpec spec, String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      Duration d =
          switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new NumberFormatException();
          };
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return d;
    } catch (RuntimeException e) {
      throw new ParameterException(
          spec.commandLine(),
          "--ttl: expected a positive duration like 30m, 24h or 7d, got '" + text + "'");
    }
  }
}
