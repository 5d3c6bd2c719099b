package io.mschedule.cli;

import io.mschedule.cli.client.MasterClient;
import io.mschedule.cli.client.TokenFile;
import java.io.UncheckedIOException;
import picocli.CommandLine.Option;

/** Where the master is and how to authenticate: shared by every client subcommand. */
public final class ServerOptions {

  @Option(
      names = "--server",
      paramLabel = "URL",
      defaultValue = "${env:MSCHEDULE_SERVER:-" + MasterClient.DEFAULT_URL + "}",
      description = {"Master URL. Default: $MSCHEDULE_SERVER, else", MasterClient.DEFAULT_URL})
  String server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:MSCHEDULE_TOKEN}",
      description = {
        "API token, sent as bearer token. Default: $MSCHEDULE_TOKEN, else",
        "the token saved for the master by 'mschedule login' or 'mschedule up'."
      })
  String token;

  /** Where saved tokens are read from. */
  TokenFile tokenFile = TokenFile.forUser();

  /** The master's URL as given. */
  String url() {
    return server == null || server.isBlank() ? MasterClient.DEFAULT_URL : server;
  }

  /** A client for the chosen master, with the token given or saved for it. */
  MasterClient client() {
    try {
      return MasterClient.withSavedToken(url(), token, tokenFile);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new CliException(e.getMessage(), e);
    }
  }
}
