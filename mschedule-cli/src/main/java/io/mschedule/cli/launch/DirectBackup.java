package io.mschedule.cli.launch;

import io.mschedule.cli.CliException;
import io.mschedule.master.backup.H2Backup;
import io.mschedule.master.config.MasterConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A backup of the master's H2 database through a connection of this process, for when no master
 * runs (a running master holds the database file's lock). The database is only read: no schema
 * migration, and no empty database is created where none exists.
 */
final class DirectBackup {
  /** H2's "database may be already in use": another process holds the file lock. */
  static final int H2_ALREADY_OPEN = 90020;

  /** H2's "database not found, and IFEXISTS=true". */
  static final int H2_NOT_FOUND = 90146;

  private DirectBackup() {}

  /**
   * @param whyNotApi why the running master's API was not used, for the error when a master does
   *     run
   */
  static void write(MasterConfig cfg, Path zip, String whyNotApi) {
    String url = cfg.dbUrl() + ";IFEXISTS=TRUE";
    try (Connection c = DriverManager.getConnection(url, cfg.dbUser(), cfg.dbPassword())) {
      H2Backup.write(c, zip);
    } catch (SQLException e) {
      throw new CliException(explain(e, cfg, whyNotApi));
    }
  }

  private static String explain(SQLException e, MasterConfig cfg, String whyNotApi) {
    return switch (e.getErrorCode()) {
      case H2_ALREADY_OPEN ->
          "the database in "
              + cfg.dataDir()
              + " is in use by a running master, and that master's API did not answer ("
              + whyNotApi
              + "); check http-bind, or stop the master and run the backup again";
      case H2_NOT_FOUND ->
          "no master database in "
              + cfg.dataDir()
              + " (looked for "
              + cfg.dataDir().resolve("db")
              + "); check --data-dir or --config";
      default -> "cannot back up the database in " + cfg.dataDir() + ": " + e.getMessage();
    };
  }
}
