package io.mschedule.cli;

import io.mschedule.cli.client.MasterClient;
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
      description = "API token, sent as bearer token. Default: $MSCHEDULE_TOKEN.")
  String token;

  /** A client for the chosen master. */
  MasterClient client() {
    String url = server == null || server.isBlank() ? MasterClient.DEFAULT_URL : server;
    try {
      return new MasterClient(url, token);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), e);
    }
  }
}
