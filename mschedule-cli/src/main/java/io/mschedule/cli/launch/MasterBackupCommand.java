package io.mschedule.cli.launch;

import io.mschedule.cli.CliException;
import io.mschedule.cli.ExitCodes;
import io.mschedule.cli.client.ApiException;
import io.mschedule.cli.client.MasterClient;
import io.mschedule.cli.client.MasterUnreachableException;
import io.mschedule.master.backup.H2Backup;
import io.mschedule.master.config.MasterConfig;
import io.mschedule.master.security.AdminBootstrap;
import io.mschedule.protocol.settings.Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mschedule master backup FILE}: an online backup of the master's embedded H2 database to a
 * zip file. A running master makes it ({@code POST /api/v1/backup}, found at the configured {@code
 * http-bind}); when none answers, the database is read directly. PostgreSQL is backed up with
 * {@code pg_dump} instead.
 */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = {
      "Back up the master's embedded H2 database to a zip file (FILE is replaced).",
      "A running master makes the backup (its API at http-bind, with $MSCHEDULE_TOKEN or the"
          + " data directory's admin.token); when no master answers, the database is read"
          + " directly. Restore: stop the master, unzip FILE into DATA_DIR/db, start it.",
      "PostgreSQL: use pg_dump."
    })
public final class MasterBackupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The zip file to write.")
  Path file;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "The master's data directory (default " + MasterConfig.DEFAULT_DATA_DIR + ").")
  String dataDir;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "The master's settings file (key = value), as given to 'mschedule master'.")
  Path config;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    MasterConfig cfg = masterConfig();
    if (!H2Backup.supports(cfg.dbUrl())) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "mschedule: the master's database is not the embedded H2 one: back up PostgreSQL with"
              + " pg_dump (for example: pg_dump -Fc -f mschedule.dump mschedule), see"
              + " docs/install.md");
      err.flush();
      return ExitCodes.ERROR;
    }
    Path target = file.toAbsolutePath();
    Path tmp = privateTempFile(target);
    try {
      String how = backup(cfg, tmp);
      ownerOnly(tmp);
      long size = Files.size(tmp);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      out.println("backed up the database " + how + " to " + target + " (" + size + " bytes)");
      out.println(
          "restore: stop the master, unzip the file into "
              + cfg.dataDir().resolve("db")
              + ", start the master; master.key and master.pub are not in the backup: keep a"
              + " copy of them too");
      out.flush();
      return ExitCodes.OK;
    } catch (IOException e) {
      throw new CliException("cannot write " + target + ": " + e.getMessage());
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // best effort: the partial file is named after the target
      }
    }
  }

  /** Makes the backup into {@code zip}; returns how it was made, for the user. */
  private String backup(MasterConfig cfg, Path zip) {
    MasterClient client = new MasterClient(apiUrl(cfg), token(cfg));
    try {
      client.backup(zip);
      return "of the running master at " + client.baseUrl();
    } catch (MasterUnreachableException e) {
      DirectBackup.write(cfg, zip, e.getMessage());
      return "directly from " + cfg.dataDir().resolve("db") + " (no master answered)";
    } catch (ApiException e) {
      if (e.status() == 401 || e.status() == 403) {
        throw new CliException(
            "the master at "
                + client.baseUrl()
                + " refused the backup ("
                + e.getMessage()
                + "): set MSCHEDULE_TOKEN to an admin API token");
      }
      throw e;
    }
  }

  private MasterConfig masterConfig() {
    return MasterConfig.from(
        Settings.builder(MasterConfig.KEYS)
            .file(config)
            .environment(System.getenv())
            .flag(MasterConfig.DATA_DIR, "--data-dir", dataDir)
            .build());
  }

  /** The API as this host reaches it: a wildcard bind address is reached on loopback. */
  public static String apiUrl(MasterConfig cfg) {
    String host = cfg.httpHost();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isEmpty()) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return (cfg.tlsCert() == null ? "http" : "https") + "://" + host + ":" + cfg.httpPort();
  }

  /** $MSCHEDULE_TOKEN, else the first admin token the master wrote to its data directory. */
  private static String token(MasterConfig cfg) {
    String env = System.getenv("MSCHEDULE_TOKEN");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      return Files.readString(
              cfg.dataDir().resolve(AdminBootstrap.FILE_NAME), StandardCharsets.UTF_8)
          .strip();
    } catch (IOException e) {
      return null; // the API answers 401, which says what to do
    }
  }

  /** The writers replace the file, so its mode is set again once it is complete. */
  private static void ownerOnly(Path f) throws IOException {
    try {
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // no POSIX permissions on this file system
    }
  }

  /** An empty file next to {@code target}, readable by its owner only (a backup holds scripts). */
  private static Path privateTempFile(Path target) {
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new CliException("FILE: the directory " + dir + " does not exist");
    }
    try {
      return Files.createTempFile(
          dir,
          "." + target.getFileName() + ".",
          ".partial",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      try {
        return Files.createTempFile(dir, "." + target.getFileName() + ".", ".partial");
      } catch (IOException io) {
        throw new UncheckedIOException(io);
      }
    } catch (IOException e) {
      throw new CliException("FILE: cannot write in " + dir + ": " + e.getMessage());
    }
  }
}
