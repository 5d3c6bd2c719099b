package io.mschedule.cli.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * API tokens saved per master: {@code $XDG_CONFIG_HOME/mschedule/tokens}, else {@code
 * ~/.config/mschedule/tokens}; one {@code URL TOKEN} a line, mode 0600 in a 0700 directory. {@code
 * mschedule login} and {@code mschedule up} write it; every client command reads it when no token
 * is given with {@code --token} or {@code $MSCHEDULE_TOKEN}.
 */
public final class TokenFile {
  private static final String HEADER =
      "# mschedule API tokens, one \"URL TOKEN\" a line (written by mschedule login/up).\n"
          + "# Keep this file private (mode 0600).\n";

  private final Path file;

  public TokenFile(Path file) {
    this.file = file;
  }

  /** The user's token file, from {@code $XDG_CONFIG_HOME} or the home directory. */
  public static TokenFile forUser() {
    return new TokenFile(location(System.getenv(), System.getProperty("user.home")));
  }

  static Path location(Map<String, String> env, String home) {
    String xdg = env.get("XDG_CONFIG_HOME");
    Path dir =
        xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
            ? Path.of(xdg)
            : Path.of(home == null ? "." : home, ".config");
    return dir.resolve("mschedule").resolve("tokens");
  }

  public Path path() {
    return file;
  }

  /** The token saved for the master at {@code url}, if any. */
  public Optional<String> find(String url) {
    String key;
    try {
      key = key(url);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(read().get(key));
  }

  /**
   * Saves {@code token} for the master at {@code url}, replacing the one saved before.
   *
   * @return the file
   */
  public Path save(String url, String token) {
    if (token == null || token.isBlank() || token.strip().contains(" ")) {
      throw new IllegalArgumentException("not a token: it is empty or has spaces");
    }
    Map<String, String> all = read();
    all.put(key(url), token.strip());
    StringBuilder text = new StringBuilder(HEADER);
    all.forEach((u, t) -> text.append(u).append(' ').append(t).append('\n'));
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        try {
          Files.createDirectories(
              dir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
          Files.createDirectories(dir);
        }
      }
      Path tmp = dir.resolve(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      try {
        Files.createFile(
            tmp,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(tmp);
      }
      Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the token in " + file + ": " + e.getMessage(), e);
    }
  }

  private Map<String, String> read() {
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        String[] parts = l.split("\\s+");
        if (parts.length == 2) {
          try {
            out.put(key(parts[0]), parts[1]);
          } catch (IllegalArgumentException e) {
            // a line we cannot use; it is dropped when the file is next written
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * The master's URL as saved: scheme, host and port in lower case, with the port given, e.g.
   * {@code http://127.0.0.1:8080}.
   */
  static String key(String url) {
    URI u = MasterClient.normalize(url);
    String scheme = u.getScheme().toLowerCase(Locale.ROOT);
    int port = u.getPort() != -1 ? u.getPort() : scheme.equals("https") ? 443 : 80;
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port + path;
  }
}
