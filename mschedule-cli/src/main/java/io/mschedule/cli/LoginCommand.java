package io.mschedule.cli;

import io.mschedule.cli.client.MasterClient;
import io.mschedule.cli.client.TokenFile;
import io.mschedule.cli.client.WhoAmI;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mschedule login}: checks an API token with the master and saves it for that master. */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Check an API token with the master and save it for that master.",
      "Later commands then need no --token. Without --token the token is read from"
          + " standard input (typed without echo on a terminal). Tokens are saved in"
          + " $XDG_CONFIG_HOME/mschedule/tokens, else ~/.config/mschedule/tokens (mode 0600)."
    })
public final class LoginCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--server",
      paramLabel = "URL",
      defaultValue = "${env:MSCHEDULE_SERVER:-" + MasterClient.DEFAULT_URL + "}",
      description =
          "Master URL (default: $MSCHEDULE_SERVER, else " + MasterClient.DEFAULT_URL + ").")
  String server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "The token (beware: visible to other users in the process list).")
  String token;

  InputStream stdin = System.in;
  TokenFile tokenFile = TokenFile.forUser();

  @Override
  public Integer call() {
    Main root = spec.root().userObject() instanceof Main m ? m : null;
    String given = server;
    String t = token;
    if (root != null && !spec.commandLine().getParseResult().hasMatchedOption("--server")) {
      given = root.server != null ? root.server : server; // given before 'login'
    }
    if (root != null && t == null) {
      t = root.token;
    }
    String url = given == null || given.isBlank() ? MasterClient.DEFAULT_URL : given;
    t = t != null ? t.strip() : readToken(url);
    if (t == null || t.isEmpty()) {
      throw new CliException("no token given: pass --token TOKEN or give it on standard input");
    }
    MasterClient client;
    try {
      client = new MasterClient(url, t);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), e);
    }
    WhoAmI me = client.whoami();
    Path saved;
    try {
      saved = tokenFile.save(client.baseUrl().toString(), t);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new CliException(e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "logged in to %s as %s (%s); token saved in %s%n",
        client.baseUrl(), me.name(), me.role(), saved);
    out.flush();
    return ExitCodes.OK;
  }

  private String readToken(String url) {
    Console console = System.console();
    if (console != null && stdin == System.in) {
      char[] typed = console.readPassword("API token for %s: ", url);
      return typed == null ? null : new String(typed).strip();
    }
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank()) {
          return line.strip();
        }
      }
      return null;
    } catch (IOException e) {
      throw new CliException("cannot read the token from standard input: " + e.getMessage(), e);
    }
  }
}
