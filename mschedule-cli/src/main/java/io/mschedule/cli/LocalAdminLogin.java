package io.mschedule.cli;

import io.mschedule.cli.client.MasterClient;
import io.mschedule.cli.client.TokenFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For {@code mschedule up}: saves the master's admin token ({@code <master data dir>/admin.token})
 * in the user's token file for the local API URL, so the client commands work without a token
 * typed.
 */
public final class LocalAdminLogin {
  private LocalAdminLogin() {}

  /** The URL a client on this machine reaches the API at; a wildcard host reads 127.0.0.1. */
  public static String url(String apiHost, int port) {
    boolean wildcard = apiHost.equals("0.0.0.0") || apiHost.equals("::") || apiHost.equals("[::]");
    return "http://" + (wildcard ? "127.0.0.1" : apiHost) + ":" + port;
  }

  /**
   * The option client commands need to reach that API: none when it is the default master URL, else
   * {@code " --server URL"}.
   */
  public static String serverOption(String apiHost, int port) {
    String url = url(apiHost, port);
    return url.equals(MasterClient.DEFAULT_URL) ? "" : " --server " + url;
  }

  /**
   * @param apiHost the host the API listens on; a wildcard address is saved as 127.0.0.1
   * @return a line telling what was done, for the user
   */
  public static String save(Path masterDataDir, String apiHost, int port, TokenFile tokens) {
    Path adminToken = masterDataDir.resolve("admin.token");
    String token;
    try {
      token = Files.readString(adminToken, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "No admin token at " + adminToken + ": log in with 'bin/mschedule login'.";
    }
    String url = url(apiHost, port);
    try {
      Path file = tokens.save(url, token);
      return "The admin token (" + adminToken + ") is saved for the CLI in " + file + ".";
    } catch (RuntimeException e) {
      return "Could not save the admin token for the CLI ("
          + e.getMessage()
          + "); it is in "
          + adminToken
          + ".";
    }
  }
}
