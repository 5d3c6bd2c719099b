package io.mschedule.master.security;

import io.mschedule.master.store.Role;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first admin token. When no valid admin token exists (a new database, or every admin token was
 * revoked), the master creates one named {@code admin}, writes it to {@code <data-dir>/admin.token}
 * (mode 0600) and prints it once on stdout. The log says where it is, never what it is.
 */
public final class AdminBootstrap {
  public static final String FILE_NAME = "admin.token";
  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

  private AdminBootstrap() {}

  /**
   * Creates the first admin token if there is no valid one.
   *
   * @return the new token's secret, or empty when an admin token existed
   */
  public static Optional<String> run(TokenService tokens, Path dataDir, PrintStream out) {
    Path file = dataDir.resolve(FILE_NAME);
    int admins = tokens.countActive(Role.ADMIN);
    if (admins > 0) {
      log.info(
          "API access needs a token; {} valid admin token(s){}",
          admins,
          Files.exists(file) ? ", the first one was written to " + file : "");
      return Optional.empty();
    }
    String name = tokens.activeNamed("admin").isPresent() ? null : "admin";
    TokenService.Created c = tokens.create(Role.ADMIN, name, TokenService.SYSTEM);
    write(file, c.secret());
    log.info(
        "created admin API token '{}' (id {}) and wrote it to {} (mode 0600)",
        c.token().name(),
        c.token().id(),
        file);
    out.printf(
        "%nmschedule: the API needs a token. Created admin token '%s', shown only this once"
            + " (also kept in %s):%n%s%n%n",
        c.token().name(), file, c.secret());
    out.flush();
    return Optional.of(c.secret());
  }

  /** Writes {@code secret} to {@code file}, readable by the owner only, replacing any old file. */
  static void write(Path file, String secret) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      createPrivate(tmp);
      Files.writeString(
          tmp, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the admin token to " + file, e);
    }
  }

  /** Creates an empty file with mode 0600 (where the file system has POSIX permissions). */
  public static void createPrivate(Path file) throws IOException {
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
  }
}
