package io.mschedule.cli;

import io.mschedule.cli.client.ApiToken;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mschedule token create|list|revoke}: API tokens (needs an admin token). */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "Manage API tokens (needs an admin token).",
      "Roles: viewer (read), operator (also run and kill tasks), admin (everything)."
    },
    subcommands = {
      TokenCommand.Create.class,
      TokenCommand.ListTokens.class,
      TokenCommand.Revoke.class
    })
public final class TokenCommand implements Runnable {
  static final Set<String> ROLES = Set.of("viewer", "operator", "admin");

  /** The longest validity the master takes. */
  static final Duration MAX_TTL = Duration.ofDays(3650);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: create, list or revoke");
  }

  /** {@code mschedule token create}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Create a token.",
        "The token is printed once, on the last line of the output; the master keeps only"
            + " its hash."
      })
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description = "viewer, operator or admin.")
    String role;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description = "Shown in the audit log (default: ROLE-xxxxxx).")
    String name;

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        description =
            "How long it is valid: 3600 (seconds), 30m, 24h, 30d; at most 3650d (default: until"
                + " revoked).")
    String ttl;

    @Option(names = "--json", description = "Print the token as JSON.")
    boolean json;

    @Override
    public Integer call() {
      if (!ROLES.contains(role)) {
        throw new ParameterException(
            spec.commandLine(), "--role: expected viewer, operator or admin, got '" + role + "'");
      }
      Duration validFor =
          ttl == null ? null : DurationConverter.positive(spec.commandLine(), "--ttl", ttl);
      if (validFor != null && validFor.compareTo(MAX_TTL) > 0) {
        throw new ParameterException(
            spec.commandLine(), "--ttl: at most " + MAX_TTL.toDays() + "d, got '" + ttl + "'");
      }
      ApiToken t = server.client().createToken(role, name, validFor);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonOutput.print(out, t);
      } else {
        out.printf(
            "created token %s '%s' (role %s%s); it is shown only now:%n%s%n",
            t.id(),
            t.name(),
            t.role(),
            t.expiresAt() == null
                ? ""
                : ", expires " + Formats.time(t.expiresAt(), ZoneId.systemDefault()),
            t.token());
        out.flush();
      }
      return ExitCodes.OK;
    }
  }

  /** {@code mschedule token list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = "List the tokens (never their secrets).")
  static final class ListTokens implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Option(names = "--json", description = "Print the tokens as a JSON array.")
    boolean json;

    /** Tells which tokens have expired (tests set their own). */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
      List<ApiToken> tokens = server.client().tokens();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonOutput.print(out, tokens);
        return ExitCodes.OK;
      }
      ZoneId zone = ZoneId.systemDefault();
      Instant now = clock.instant();
      TableFormatter table =
          new TableFormatter(
              "ID", "NAME", "ROLE", "CREATED", "CREATED BY", "EXPIRES", "LAST USED", "REVOKED");
      for (ApiToken t : tokens) {
        table.row(
            t.id(),
            t.name(),
            t.role(),
            Formats.time(t.createdAt(), zone),
            t.createdBy() == null ? "-" : t.createdBy(),
            expires(t, now, zone),
            t.lastUsed() == null ? "never" : Formats.time(t.lastUsed(), zone),
            t.revokedAt() == null
                ? "-"
                : Formats.time(t.revokedAt(), zone)
                    + (t.revokedBy() == null ? "" : " by " + t.revokedBy()));
      }
      out.print(table.render());
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code never}, the expiry, or the expiry marked {@code (expired)} once past. */
  static String expires(ApiToken t, Instant now, ZoneId zone) {
    if (t.expiresAt() == null) {
      return "never";
    }
    String at = Formats.time(t.expiresAt(), zone);
    return now.isBefore(t.expiresAt()) ? at : at + " (expired)";
  }

  /** {@code mschedule token revoke ID}. */
  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke a token: it is refused from the next request on.")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(index = "0", paramLabel = "ID", description = "The token id (see token list).")
    String id;

    @Override
    public Integer call() {
      ApiToken t = server.client().revokeToken(id);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("revoked token %s '%s' (role %s)%n", t.id(), t.name(), t.role());
      out.flush();
      return ExitCodes.OK;
    }
  }
}
