package io.mschedule.cli.launch;

import io.mschedule.cli.DurationConverter;
import io.mschedule.cli.ExitCodes;
import io.mschedule.cli.Formats;
import io.mschedule.cli.TableFormatter;
import io.mschedule.master.security.keys.JoinTokens;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mschedule master token create|list|revoke}: join tokens for automated agent roll-outs,
 * kept in the master's data directory (the master need not run).
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description =
        "Join tokens: agents presenting one are accepted without 'mschedule keys accept'.",
    subcommands = {
      MasterTokenCommand.Create.class,
      MasterTokenCommand.ListTokens.class,
      MasterTokenCommand.Revoke.class
    })
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
            "How long it is valid: 3600 (seconds), 30m, 24h, 7d; at most 365d (default"
                + " ${DEFAULT-VALUE}).")
    String ttl;

    @Mixin MasterDataDirOptions dataDir;

    @Override
    public Integer call() {
      Duration d = DurationConverter.positive(spec.commandLine(), "--ttl", ttl);
      if (d.compareTo(JoinTokens.MAX_TTL) > 0) {
        throw new ParameterException(
            spec.commandLine(),
            "--ttl: at most " + JoinTokens.MAX_TTL.toDays() + "d, got '" + ttl + "'");
      }
      JoinTokens.Created c =
          new JoinTokens(dataDir.resolve(), Clock.systemUTC()).create(d, "local");
      var out = spec.commandLine().getOut();
      out.println(
          "join token "
              + c.token().id()
              + " valid for "
              + ttl
              + "; give it to agents as --join-token:");
      out.println(c.value());
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the join tokens (never their values), with when they expire.")
  static final class ListTokens implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin MasterDataDirOptions dataDir;

    /** Tells which tokens have expired (tests set their own). */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
      List<JoinTokens.JoinToken> tokens = new JoinTokens(dataDir.resolve(), clock).list();
      Instant now = clock.instant();
      TableFormatter table = new TableFormatter("ID", "CREATED", "CREATED BY", "EXPIRES");
      for (JoinTokens.JoinToken t : tokens) {
        table.row(
            t.id(),
            t.createdAt() == null ? "-" : time(t.createdAt()),
            t.createdBy() == null ? "-" : t.createdBy(),
            time(t.expiresAt()) + (t.expired(now) ? " (expired)" : ""));
      }
      PrintWriter out = spec.commandLine().getOut();
      out.print(table.render());
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revoke a join token: agents presenting it are no longer accepted (those it let in"
              + " stay).")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "ID",
        description = "The token id (see master token list), or 4 or more of its first characters.")
    String id;

    @Mixin MasterDataDirOptions dataDir;

    @Override
    public Integer call() {
      JoinTokens.JoinToken t;
      try {
        t =
            new JoinTokens(dataDir.resolve(), Clock.systemUTC())
                .revoke(id)
                .orElseThrow(
                    () ->
                        new ParameterException(
                            spec.commandLine(),
                            "no join token "
                                + id
                                + " in "
                                + dataDir.resolve()
                                + " (see mschedule master token list)"));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("revoked join token " + t.id());
      out.flush();
      return ExitCodes.OK;
    }
  }

  private static String time(Instant t) {
    return Formats.time(t, ZoneId.systemDefault());
  }
}
