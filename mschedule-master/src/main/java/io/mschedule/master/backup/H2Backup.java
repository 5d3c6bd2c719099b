package io.mschedule.master.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An online backup of an H2 database: H2's {@code BACKUP TO 'file.zip'}, a transactionally
 * consistent copy taken while the database keeps serving (H2's MVStore is copy-on-write). The zip
 * holds the database file ({@code mschedule.mv.db}); restoring is unzipping it into the {@code db/}
 * directory of a stopped master.
 */
public final class H2Backup {
  private H2Backup() {}

  /** True when {@code jdbcUrl} names an H2 database, the only kind this class backs up. */
  public static boolean supports(String jdbcUrl) {
    return jdbcUrl != null && jdbcUrl.startsWith("jdbc:h2:");
  }

  /**
   * Writes the backup of the database behind {@code connection} to {@code zip}, replacing it.
   *
   * @throws SQLException when H2 refuses (for instance a connection without admin rights)
   */
  public static void write(Connection connection, Path zip) throws SQLException {
    Path target = zip.toAbsolutePath();
    try {
      Files.deleteIfExists(target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replace " + target, e);
    }
    try (Statement st = connection.createStatement()) {
      // BACKUP TO takes no bind parameter: the path is a quoted SQL literal
      st.execute("BACKUP TO '" + target.toString().replace("'", "''") + "'");
    }
  }
}
