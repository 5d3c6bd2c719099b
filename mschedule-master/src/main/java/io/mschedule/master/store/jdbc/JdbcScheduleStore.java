package io.mschedule.master.store.jdbc;

import static io.mschedule.master.store.jdbc.Columns.getDouble;
import static io.mschedule.master.store.jdbc.Columns.getInstant;
import static io.mschedule.master.store.jdbc.Columns.getInteger;
import static io.mschedule.master.store.jdbc.Columns.setDouble;
import static io.mschedule.master.store.jdbc.Columns.setInstant;
import static io.mschedule.master.store.jdbc.Columns.setInteger;
import static io.mschedule.master.store.jdbc.Columns.stringList;
import static io.mschedule.master.store.jdbc.Columns.stringMap;
import static io.mschedule.master.store.jdbc.Columns.toJson;

import io.mschedule.master.store.ScheduleRecord;
import io.mschedule.master.store.ScheduleStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link ScheduleStore} over table {@code schedules}. */
final class JdbcScheduleStore implements ScheduleStore {
  private static final String COLUMNS =
      "name, job, job_version, cron, time_zone, targets, parallel, fail_rate, fail_count,"
          + " timeout_seconds, env, concurrency, misfire, starting_deadline, paused, created_at,"
          + " created_by, last_slot, retries, retry_delay";

  private final JdbcRunner jdbc;

  JdbcScheduleStore(JdbcRunner jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public boolean create(ScheduleRecord s) {
    try {
      jdbc.update(
          "INSERT INTO schedules ("
              + COLUMNS
              + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          ps -> {
            ps.setString(1, s.name());
            ps.setString(2, s.job());
            setInteger(ps, 3, s.jobVersion());
            ps.setString(4, s.cron());
            ps.setString(5, s.timeZone());
            ps.setString(6, toJson(s.targets()));
            ps.setString(7, s.parallel());
            setDouble(ps, 8, s.failRate());
            setInteger(ps, 9, s.failCount());
            setInteger(ps, 10, s.timeoutSeconds());
            ps.setString(11, s.env().isEmpty() ? null : toJson(s.env()));
            ps.setString(12, s.concurrency().name());
            ps.setString(13, s.misfire().name());
            setInteger(ps, 14, s.startingDeadlineSeconds());
            ps.setBoolean(15, s.paused());
            setInstant(ps, 16, s.createdAt());
            ps.setString(17, s.createdBy());
            setInstant(ps, 18, s.lastSlot());
            setInteger(ps, 19, s.retries());
            setInteger(ps, 20, s.retryDelay());
          });
      return true;
    } catch (StoreException e) {
      if (StoreException.isUniqueViolation(e)) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public Optional<ScheduleRecord> find(String name) {
    return jdbc.queryOne(
        "SELECT " + COLUMNS + " FROM schedules WHERE name = ?",
        ps -> ps.setString(1, name),
        JdbcScheduleStore::schedule);
  }

  @Override
  public List<ScheduleRecord> all() {
    return jdbc.query(
        "SELECT " + COLUMNS + " FROM schedules ORDER BY name",
        JdbcRunner.Params.NONE,
        JdbcScheduleStore::schedule);
  }

  @Override
  public boolean setPaused(String name, boolean paused, Instant lastSlot) {
    return jdbc.update(
            "UPDATE schedules SET paused = ?, last_slot = ? WHERE name = ?",
            ps -> {
              ps.setBoolean(1, paused);
              setInstant(ps, 2, lastSlot);
              ps.setString(3, name);
            })
        == 1;
  }

  @Override
  public void advance(String name, Instant slot) {
    jdbc.update(
        "UPDATE schedules SET last_slot = ? WHERE name = ? AND (last_slot IS NULL OR last_slot < ?)",
        ps -> {
          setInstant(ps, 1, slot);
          ps.setString(2, name);
          setInstant(ps, 3, slot);
        });
  }

  @Override
  public boolean delete(String name) {
    return jdbc.update("DELETE FROM schedules WHERE name = ?", ps -> ps.setString(1, name)) == 1;
  }

  private static ScheduleRecord schedule(ResultSet rs) throws SQLException {
    return new ScheduleRecord(
        rs.getString("name"),
        rs.getString("job"),
        getInteger(rs, "job_version"),
        rs.getString("cron"),
        rs.getString("time_zone"),
        stringList(rs, "targets"),
        rs.getString("parallel"),
        getDouble(rs, "fail_rate"),
        getInteger(rs, "fail_count"),
        getInteger(rs, "timeout_seconds"),
        rs.getString("env") == null ? null : stringMap(rs, "env"),
        ScheduleRecord.Concurrency.valueOf(rs.getString("concurrency")),
        ScheduleRecord.Misfire.valueOf(rs.getString("misfire")),
        getInteger(rs, "starting_deadline"),
        rs.getBoolean("paused"),
        getInstant(rs, "created_at"),
        rs.getString("created_by"),
        getInstant(rs, "last_slot"),
        getInteger(rs, "retries"),
        getInteger(rs, "retry_delay"));
  }
}
