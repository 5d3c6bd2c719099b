package io.mschedule.cli;

import io.mschedule.cli.client.MasterClient;
import io.mschedule.cli.client.TokenFile;
import java.io.UncheckedIOException;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where the master is and how to authenticate: shared by every client subcommand. The options work
 * after the subcommand ({@code mschedule agents --server URL}) and before it ({@code mschedule
 * --server URL agents}, see {@link Main}); after it wins.
 */
public final class ServerOptions {

  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "Master URL (default: $MSCHEDULE_SERVER, else " + MasterClient.DEFAULT_URL + ").")
  String server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "API token, sent as bearer token (default: $MSCHEDULE_TOKEN, else the token saved"
              + " for the master by 'mschedule login' or 'mschedule up').")
  String token;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** Where saved tokens are read from. */
  TokenFile tokenFile = TokenFile.forUser();

  /** Where environment variables are read from. */
  Function<String, String> env = System::getenv;

  /** The master's URL as given: here, else before the subcommand, else in the environment. */
  String url() {
    String url =
        firstGiven(server, root() == null ? null : root().server, env.apply("MSCHEDULE_SERVER"));
    return url == null ? MasterClient.DEFAULT_URL : url;
  }

  /** The token given, like {@link #url()}; null for none (a saved one is looked up). */
  String token() {
    return firstGiven(token, root() == null ? null : root().token, env.apply("MSCHEDULE_TOKEN"));
  }

  private Main root() {
    if (command == null) {
      return null;
    }
    return command.root().userObject() instanceof Main main ? main : null;
  }

  private static String firstGiven(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  /** A client for the chosen master, with the token given or saved for it. */
  MasterClient client() {
    try {
      return MasterClient.withSavedToken(url(), token(), tokenFile);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new CliException(e.getMessage(), e);
    }
  }
}
