package io.mschedule.master.store.jdbc;

import static io.mschedule.master.store.jdbc.Columns.getInstant;
import static io.mschedule.master.store.jdbc.Columns.setInstant;

import io.mschedule.master.store.JobStore;
import io.mschedule.master.store.JobVersion;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link JobStore} over tables {@code jobs}, {@code job_scripts} and {@code job_versions}. The
 * primary key (job, version) keeps numbers unique; a push that loses a race for a number tries
 * again with the next one.
 */
final class JdbcJobStore implements JobStore {
  private static final int MAX_ATTEMPTS = 20;
  private static final String VERSION_COLUMNS =
      "job, version, sha256, created_at, created_by, message";

  private final JdbcRunner jdbc;

  JdbcJobStore(JdbcRunner jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Pushed push(
      String job, String script, String sha256, String createdBy, String message, Instant at) {
    insertIfAbsent(
        "INSERT INTO jobs (name, created_at, created_by) VALUES (?, ?, ?)",
        ps -> {
          ps.setString(1, job);
          setInstant(ps, 2, at);
          ps.setString(3, createdBy);
        });
    insertIfAbsent(
        "INSERT INTO job_scripts (sha256, content) VALUES (?, ?)",
        ps -> {
          ps.setString(1, sha256);
          ps.setString(2, script);
        });
    for (int attempt = 1; ; attempt++) {
      try {
        return jdbc.inTransaction(
            s -> {
              var newest =
                  s.query(
                      "SELECT "
                          + VERSION_COLUMNS
                          + " FROM job_versions WHERE job = ? ORDER BY version DESC FETCH FIRST 1"
                          + " ROWS ONLY",
                      ps -> ps.setString(1, job),
                      JdbcJobStore::version);
              if (!newest.isEmpty() && newest.get(0).sha256().equals(sha256)) {
                return new Pushed(newest.get(0), false);
              }
              int number = newest.isEmpty() ? 1 : newest.get(0).version() + 1;
              var v = new JobVersion(job, number, sha256, at, createdBy, message);
              s.update(
                  "INSERT INTO job_versions (" + VERSION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
                  ps -> {
                    ps.setString(1, job);
                    ps.setInt(2, number);
                    ps.setString(3, sha256);
                    setInstant(ps, 4, at);
                    ps.setString(5, createdBy);
                    ps.setString(6, message);
                  });
              return new Pushed(v, true);
            });
      } catch (StoreException e) {
        if (!StoreException.isUniqueViolation(e) || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        // another push took this number first: read the newest again
      }
    }
  }

  private void insertIfAbsent(String sql, JdbcRunner.Params params) {
    try {
      jdbc.update(sql, params);
    } catch (StoreException e) {
      if (!StoreException.isUniqueViolation(e)) {
        throw e;
      }
    }
  }

  @Override
  public List<JobVersion> jobs() {
    return jdbc.query(
        """
        SELECT v.job, v.version, v.sha256, v.created_at, v.created_by, v.message
        FROM job_versions v
        WHERE v.version = (SELECT MAX(w.version) FROM job_versions w WHERE w.job = v.job)
        ORDER BY v.job""",
        JdbcRunner.Params.NONE,
        JdbcJobStore::version);
  }

  @Override
  public List<JobVersion> versions(String job) {
    return jdbc.query(
        "SELECT " + VERSION_COLUMNS + " FROM job_versions WHERE job = ? ORDER BY version",
        ps -> ps.setString(1, job),
        JdbcJobStore::version);
  }

  @Override
  public Optional<JobVersion> version(String job, int version) {
    return jdbc.queryOne(
        "SELECT " + VERSION_COLUMNS + " FROM job_versions WHERE job = ? AND version = ?",
        ps -> {
          ps.setString(1, job);
          ps.setInt(2, version);
        },
        JdbcJobStore::version);
  }

  @Override
  public Optional<JobVersion> latest(String job) {
    return jdbc.queryOne(
        "SELECT "
            + VERSION_COLUMNS
            + " FROM job_versions WHERE job = ? ORDER BY version DESC FETCH FIRST 1 ROWS ONLY",
        ps -> ps.setString(1, job),
        JdbcJobStore::version);
  }

  /** The foreign keys from tasks and schedules refuse the delete of a used job. */
  @Override
  public Deletion delete(String job) {
    try {
      return jdbc.inTransaction(
          s -> {
            s.update("DELETE FROM job_versions WHERE job = ?", ps -> ps.setString(1, job));
            int jobs = s.update("DELETE FROM jobs WHERE name = ?", ps -> ps.setString(1, job));
            return jobs == 1 ? Deletion.DELETED : Deletion.NOT_FOUND;
          });
    } catch (StoreException e) {
      if (StoreException.isForeignKeyViolation(e)) {
        return Deletion.IN_USE;
      }
      throw e;
    }
  }

  @Override
  public Optional<String> script(String sha256) {
    return jdbc.queryOne(
        "SELECT content FROM job_scripts WHERE sha256 = ?",
        ps -> ps.setString(1, sha256),
        rs -> rs.getString("content"));
  }

  private static JobVersion version(ResultSet rs) throws SQLException {
    return new JobVersion(
        rs.getString("job"),
        rs.getInt("version"),
        rs.getString("sha256"),
        getInstant(rs, "created_at"),
        rs.getString("created_by"),
        rs.getString("message"));
  }
}
