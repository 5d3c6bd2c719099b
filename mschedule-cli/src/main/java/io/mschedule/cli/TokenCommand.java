package io.mschedule.cli;

import io.mschedule.cli.client.ApiToken;
import java.io.PrintWriter;
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

    @Option(names = "--json", description = "Print the token as JSON.")
    boolean json;

    @Override
    public Integer call() {
      if (!ROLES.contains(role)) {
        throw new ParameterException(
            spec.commandLine(), "--role: expected viewer, operator or admin, got '" + role + "'");
      }
      ApiToken t = server.client().createToken(role, name);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonOutput.print(out, t);
      } else {
        out.printf(
            "created token %s '%s' (role %s); it is shown only now:%n%s%n",
            t.id(), t.name(), t.role(), t.token());
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

    @Override
    public Integer call() {
      List<ApiToken> tokens = server.client().tokens();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonOutput.print(out, tokens);
        return ExitCodes.OK;
      }
      ZoneId zone = ZoneId.systemDefault();
      TableFormatter table =
          new TableFormatter("ID", "NAME", "ROLE", "CREATED", "CREATED BY", "REVOKED");
      for (ApiToken t : tokens) {
        table.row(
            t.id(),
            t.name(),
            t.role(),
            Formats.time(t.createdAt(), zone),
            t.createdBy() == null ? "-" : t.createdBy(),
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
