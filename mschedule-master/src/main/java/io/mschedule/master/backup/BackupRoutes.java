package io.mschedule.master.backup;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.mschedule.master.api.ApiAccess;
import io.mschedule.master.api.ApiException;
import io.mschedule.master.api.ApiRoutes;
import io.mschedule.master.audit.AuditLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/backup} (admin only: no rule of {@code RoutePermissions} opens it to other
 * roles): an online backup of the embedded H2 database, sent back as a zip file. A master on
 * PostgreSQL answers 409: that database is backed up with {@code pg_dump}.
 */
public final class BackupRoutes implements ApiRoutes {
  private static final Logger log = LoggerFactory.getLogger(BackupRoutes.class);

  private final DataSource dataSource;
  private final String jdbcUrl;
  private final Path workDir;
  private final ApiAccess access;
  private final AuditLog audit;

  /**
   * @param workDir where the zip is written before it is sent (the master's data directory: on the
   *     same disk as the database, and private to the master)
   */
  public BackupRoutes(
      DataSource dataSource, String jdbcUrl, Path workDir, ApiAccess access, AuditLog audit) {
    this.dataSource = dataSource;
    this.jdbcUrl = jdbcUrl;
    this.workDir = workDir;
    this.access = access;
    this.audit = audit;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/api/v1/backup", this::backup);
  }

  private void backup(Context ctx) throws IOException, SQLException {
    if (!H2Backup.supports(jdbcUrl)) {
      throw new ApiException(
          409,
          "the master's database is not the embedded H2 one: back up PostgreSQL with pg_dump",
          null);
    }
    Path zip = Files.createTempFile(workDir, "backup-", ".zip");
    try (Connection c = dataSource.getConnection()) {
      H2Backup.write(c, zip);
    } catch (SQLException | RuntimeException e) {
      Files.deleteIfExists(zip);
      throw e;
    }
    long size = Files.size(zip);
    String caller = access.caller(ctx);
    audit.record(caller == null ? "anonymous" : caller, "backup.create", null, size + " bytes");
    log.info("database backup of {} bytes sent to {}", size, caller);
    // the file is gone once sent (on Linux, at once: the open stream keeps the data)
    InputStream in = Files.newInputStream(zip, StandardOpenOption.DELETE_ON_CLOSE);
    ctx.status(200)
        .contentType("application/zip")
        .header("Content-Disposition", "attachment; filename=\"mschedule-backup.zip\"")
        .header("Cache-Control", "no-store");
    ctx.result(in);
  }
}
