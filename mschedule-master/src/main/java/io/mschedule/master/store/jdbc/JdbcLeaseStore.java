package io.mschedule.master.store.jdbc;

import io.mschedule.master.store.Lease;
import io.mschedule.master.store.LeaseStore;
import io.mschedule.master.task.TaskState;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link LeaseStore} over table {@code task_leases}: a unique key decides who takes a new task, a
 * compare-and-set on {@code expires_at} against the database's clock who takes over an expired one.
 */
final class JdbcLeaseStore implements LeaseStore {
  private static final String UNFINISHED =
      "state IN ('" + TaskState.PENDING.name() + "', '" + TaskState.RUNNING.name() + "')";

  private final JdbcRunner jdbc;
  private final String now;

  JdbcLeaseStore(JdbcRunner jdbc, Dialect dialect) {
    this.jdbc = jdbc;
    this.now = dialect.nowMillis();
  }

  @Override
  public Optional<Lease> claim(String taskId, String masterId, Duration ttl) {
    try {
      int inserted =
          jdbc.withConnection(
              s ->
                  s.update(
                      "INSERT INTO task_leases (task_id, master_id, epoch, expires_at)"
                          + " SELECT id, ?, 1, "
                          + now
                          + " + ? FROM tasks WHERE id = ? AND "
                          + UNFINISHED,
                      ps -> {
                        ps.setString(1, masterId);
                        ps.setLong(2, ttl.toMillis());
                        ps.setString(3, taskId);
                      }));
      if (inserted == 1) {
        return Optional.of(new Lease(taskId, masterId, 1));
      }
      return Optional.empty(); // no such unfinished task
    } catch (StoreException e) {
      if (!StoreException.isUniqueViolation(e)) {
        throw e;
      }
    }
    // the task has a lease: take it over if it expired, keep it if it is this master's
    jdbc.update(
        "UPDATE task_leases SET master_id = ?, epoch = epoch + 1, expires_at = "
            + now
            + " + ? WHERE task_id = ? AND expires_at <= "
            + now
            + " AND task_id IN (SELECT id FROM tasks WHERE "
            + UNFINISHED
            + ")",
        ps -> {
          ps.setString(1, masterId);
          ps.setLong(2, ttl.toMillis());
          ps.setString(3, taskId);
        });
    return jdbc.queryOne(
        "SELECT epoch FROM task_leases WHERE task_id = ? AND master_id = ? AND expires_at > "
            + now
            + " AND task_id IN (SELECT id FROM tasks WHERE "
            + UNFINISHED
            + ")",
        ps -> {
          ps.setString(1, taskId);
          ps.setString(2, masterId);
        },
        rs -> new Lease(taskId, masterId, rs.getLong(1)));
  }

  @Override
  public List<Lease> renew(String masterId, Duration ttl) {
    return jdbc.withConnection(
        s -> {
          s.update(
              "UPDATE task_leases SET expires_at = "
                  + now
                  + " + ? WHERE master_id = ? AND expires_at > "
                  + now
                  + " AND task_id IN (SELECT id FROM tasks WHERE "
                  + UNFINISHED
                  + ")",
              ps -> {
                ps.setLong(1, ttl.toMillis());
                ps.setString(2, masterId);
              });
          return s.query(
              "SELECT task_id, epoch FROM task_leases WHERE master_id = ? AND expires_at > "
                  + now
                  + " AND task_id IN (SELECT id FROM tasks WHERE "
                  + UNFINISHED
                  + ") ORDER BY task_id",
              ps -> ps.setString(1, masterId),
              rs -> new Lease(rs.getString(1), masterId, rs.getLong(2)));
        });
  }

  @Override
  public void release(String masterId) {
    jdbc.update(
        "UPDATE task_leases SET expires_at = "
            + now
            + " WHERE master_id = ? AND expires_at > "
            + now,
        ps -> ps.setString(1, masterId));
  }

  @Override
  public List<String> unowned(int limit) {
    return jdbc.query(
        "SELECT t.id FROM tasks t LEFT JOIN task_leases l ON l.task_id = t.id WHERE t."
            + UNFINISHED
            + " AND (l.task_id IS NULL OR l.expires_at <= "
            + now
            + ") ORDER BY t.created_at, t.id LIMIT ?",
        ps -> ps.setInt(1, limit),
        rs -> rs.getString(1));
  }

  @Override
  public boolean requestKill(String taskId, String by) {
    return jdbc.update(
            "UPDATE task_leases SET kill_by = COALESCE(kill_by, ?) WHERE task_id = ?"
                + " AND task_id IN (SELECT id FROM tasks WHERE "
                + UNFINISHED
                + ")",
            ps -> {
              ps.setString(1, by == null ? "" : by);
              ps.setString(2, taskId);
            })
        == 1;
  }

  @Override
  public Map<String, String> killRequests(String masterId) {
    Map<String, String> out = new LinkedHashMap<>();
    jdbc.query(
            "SELECT task_id, kill_by FROM task_leases WHERE master_id = ? AND kill_by IS NOT NULL"
                + " AND task_id IN (SELECT id FROM tasks WHERE "
                + UNFINISHED
                + ")",
            ps -> ps.setString(1, masterId),
            rs -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  @Override
  public Map<String, Integer> owned() {
    Map<String, Integer> out = new LinkedHashMap<>();
    jdbc.query(
            "SELECT l.master_id, COUNT(*) FROM task_leases l JOIN tasks t ON t.id = l.task_id"
                + " WHERE t."
                + UNFINISHED
                + " AND l.expires_at > "
                + now
                + " GROUP BY l.master_id ORDER BY l.master_id",
            JdbcRunner.Params.NONE,
            rs -> Map.entry(rs.getString(1), rs.getInt(2)))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }
}
