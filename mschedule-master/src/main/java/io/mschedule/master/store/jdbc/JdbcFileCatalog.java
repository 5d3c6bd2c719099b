package io.mschedule.master.store.jdbc;

import static io.mschedule.master.store.jdbc.Columns.getInstant;
import static io.mschedule.master.store.jdbc.Columns.setInstant;

import io.mschedule.master.store.FileCatalog;
import io.mschedule.master.store.FileRecord;
import java.util.Optional;

/** {@link FileCatalog} over table {@code files}. */
final class JdbcFileCatalog implements FileCatalog {
  private final JdbcRunner jdbc;

  JdbcFileCatalog(JdbcRunner jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void add(FileRecord file) {
    try {
      jdbc.update(
          "INSERT INTO files (sha256, name, size, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
          ps -> {
            ps.setString(1, file.sha256());
            ps.setString(2, file.name());
            ps.setLong(3, file.size());
            setInstant(ps, 4, file.createdAt());
            ps.setString(5, file.createdBy());
          });
    } catch (StoreException e) {
      if (!StoreException.isUniqueViolation(e)) {
        throw e;
      }
    }
  }

  @Override
  public Optional<FileRecord> find(String sha256) {
    return jdbc.queryOne(
        "SELECT sha256, name, size, created_at, created_by FROM files WHERE sha256 = ?",
        ps -> ps.setString(1, sha256),
        rs ->
            new FileRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getLong(3),
                getInstant(rs, "created_at"),
                rs.getString(5)));
  }
}
