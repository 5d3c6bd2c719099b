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

import io.mschedule.master.task.RetryPolicy;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Script;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskOrigin;
import io.mschedule.master.task.TaskState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The SQL and the row mapping of tables {@code tasks} and {@code runs}. */
final class TaskRows {
  static final String TASK_COLUMNS =
      "id, state, reason, script, targets, parallel, fail_rate, fail_count, timeout_seconds,"
          + " created_at, finished_at, created_by, stopping, env, job, job_version, schedule_name,"
          + " scheduled_for, rerun_of, script_bytes, retries, retry_delay";
  static final String INSERT_TASK =
      "INSERT INTO tasks ("
          + TASK_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  static final String UPDATE_TASK =
      """
      UPDATE tasks SET state = ?, reason = ?, script = ?, targets = ?, parallel = ?,
        fail_rate = ?, fail_count = ?, timeout_seconds = ?, created_at = ?, finished_at = ?,
        created_by = ?, stopping = ?, env = ?, job = ?, job_version = ?, schedule_name = ?,
        scheduled_for = ?, rerun_of = ?, script_bytes = ?, retries = ?, retry_delay = ?
      WHERE id = ? AND state = ?""";

  static final String RUN_COLUMNS =
      "task_id, agent_id, hostname, seq, state, code, truncated, started_at, finished_at, error,"
          + " late, attempt, retry_at";
  static final String INSERT_RUN =
      "INSERT INTO runs (" + RUN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** Compare-and-set on the stored state and attempt ({@code bindUpdate} binds the run's own). */
  static final String UPDATE_RUN =
      """
      UPDATE runs SET hostname = ?, seq = ?, state = ?, code = ?, truncated = ?, started_at = ?,
        finished_at = ?, error = ?, late = ?, attempt = ?, retry_at = ?
      WHERE task_id = ? AND agent_id = ? AND state = ? AND attempt = ?""";

  static final String ATTEMPT_COLUMNS =
      "task_id, agent_id, attempt, state, code, truncated, started_at, finished_at, error, late";
  static final String INSERT_ATTEMPT =
      "INSERT INTO run_attempts (" + ATTEMPT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private TaskRows() {}

  static void bindInsert(PreparedStatement ps, Task task) throws SQLException {
    ps.setString(1, task.id());
    bindValues(ps, task, 2);
  }

  static void bindUpdate(PreparedStatement ps, Task task, TaskState expected) throws SQLException {
    var next = bindValues(ps, task, 1);
    ps.setString(next, task.id());
    ps.setString(next + 1, expected.name());
  }

  static void bindInsert(PreparedStatement ps, Run run) throws SQLException {
    ps.setString(1, run.taskId());
    ps.setString(2, run.agentId());
    bindValues(ps, run, 3);
  }

  static void bindUpdate(PreparedStatement ps, Run run, RunState expected) throws SQLException {
    bindUpdate(ps, run, expected, run.attempt());
  }

  static void bindUpdate(PreparedStatement ps, Run run, RunState expected, int expectedAttempt)
      throws SQLException {
    var next = bindValues(ps, run, 1);
    ps.setString(next, run.taskId());
    ps.setString(next + 1, run.agentId());
    ps.setString(next + 2, expected.name());
    ps.setInt(next + 3, expectedAttempt);
  }

  /** An ended attempt, as {@code run_attempts} keeps it. */
  static void bindAttempt(PreparedStatement ps, Run run) throws SQLException {
    ps.setString(1, run.taskId());
    ps.setString(2, run.agentId());
    ps.setInt(3, run.attempt());
    ps.setString(4, run.state().name());
    setInteger(ps, 5, run.code());
    ps.setBoolean(6, run.truncated());
    setInstant(ps, 7, run.startedAt());
    setInstant(ps, 8, run.finishedAt());
    ps.setString(9, run.error());
    ps.setBoolean(10, run.late());
  }

  /** A row of {@code run_attempts}; it has no hostname or seq of its own: those of {@code run}. */
  static Run attempt(ResultSet rs, String hostname, int seq) throws SQLException {
    return new Run(
        rs.getString("task_id"),
        rs.getString("agent_id"),
        hostname,
        seq,
        RunState.valueOf(rs.getString("state")),
        getInteger(rs, "code"),
        rs.getBoolean("truncated"),
        getInstant(rs, "started_at"),
        getInstant(rs, "finished_at"),
        rs.getString("error"),
        rs.getBoolean("late"),
        rs.getInt("attempt"),
        null);
  }

  static Task task(ResultSet rs) throws SQLException {
    return new Task(
        rs.getString("id"),
        TaskState.valueOf(rs.getString("state")),
        rs.getString("reason"),
        script(rs),
        stringList(rs, "targets"),
        rs.getInt("parallel"),
        getDouble(rs, "fail_rate"),
        getInteger(rs, "fail_count"),
        rs.getInt("timeout_seconds"),
        getInstant(rs, "created_at"),
        getInstant(rs, "finished_at"),
        rs.getString("created_by"),
        rs.getString("stopping") == null ? null : TaskState.valueOf(rs.getString("stopping")),
        rs.getString("env") == null ? null : stringMap(rs, "env"),
        new TaskOrigin(
            rs.getString("job"),
            getInteger(rs, "job_version"),
            rs.getString("schedule_name"),
            getInstant(rs, "scheduled_for"),
            rs.getString("rerun_of")),
        null, // files: see TaskFileRows
        rs.getInt("retries") == 0 && rs.getInt("retry_delay") == 0
            ? RetryPolicy.NONE
            : new RetryPolicy(rs.getInt("retries"), rs.getInt("retry_delay")));
  }

  /**
   * A script is kept as text in {@code script} when it is valid UTF-8 without NUL (readable in the
   * database, and what older masters wrote), else as bytes in {@code script_bytes} (with a readable
   * rendering in {@code script}).
   */
  private static Script script(ResultSet rs) throws SQLException {
    byte[] bytes = rs.getBytes("script_bytes");
    return bytes != null ? Script.of(bytes) : Script.of(rs.getString("script"));
  }

  private static boolean storedAsText(Script script) {
    return script.isUtf8() && script.text().indexOf('\0') < 0;
  }

  static Run run(ResultSet rs) throws SQLException {
    return new Run(
        rs.getString("task_id"),
        rs.getString("agent_id"),
        rs.getString("hostname"),
        rs.getInt("seq"),
        RunState.valueOf(rs.getString("state")),
        getInteger(rs, "code"),
        rs.getBoolean("truncated"),
        getInstant(rs, "started_at"),
        getInstant(rs, "finished_at"),
        rs.getString("error"),
        rs.getBoolean("late"),
        rs.getInt("attempt"),
        getInstant(rs, "retry_at"));
  }

  /** Binds every column but the id from {@code i}; returns the next free index. */
  private static int bindValues(PreparedStatement ps, Task task, int i) throws SQLException {
    ps.setString(i, task.state().name());
    ps.setString(i + 1, task.reason());
    boolean asText = storedAsText(task.script());
    ps.setString(i + 2, task.script().text().replace('\0', '\uFFFD'));
    ps.setString(i + 3, toJson(task.targets()));
    ps.setInt(i + 4, task.parallel());
    setDouble(ps, i + 5, task.failRate());
    setInteger(ps, i + 6, task.failCount());
    ps.setInt(i + 7, task.timeoutSeconds());
    setInstant(ps, i + 8, task.createdAt());
    setInstant(ps, i + 9, task.finishedAt());
    ps.setString(i + 10, task.createdBy());
    ps.setString(i + 11, task.stopping() == null ? null : task.stopping().name());
    ps.setString(i + 12, task.env().isEmpty() ? null : toJson(task.env()));
    TaskOrigin o = task.origin();
    ps.setString(i + 13, o.job());
    setInteger(ps, i + 14, o.jobVersion());
    ps.setString(i + 15, o.schedule());
    setInstant(ps, i + 16, o.scheduledFor());
    ps.setString(i + 17, o.rerunOf());
    ps.setBytes(i + 18, asText ? null : task.script().bytes());
    ps.setInt(i + 19, task.retry().retries());
    ps.setInt(i + 20, task.retry().delaySeconds());
    return i + 21;
  }

  /** Binds every column but the key from {@code i}; returns the next free index. */
  private static int bindValues(PreparedStatement ps, Run run, int i) throws SQLException {
    ps.setString(i, run.hostname());
    ps.setInt(i + 1, run.seq());
    ps.setString(i + 2, run.state().name());
    setInteger(ps, i + 3, run.code());
    ps.setBoolean(i + 4, run.truncated());
    setInstant(ps, i + 5, run.startedAt());
    setInstant(ps, i + 6, run.finishedAt());
    ps.setString(i + 7, run.error());
    ps.setBoolean(i + 8, run.late());
    ps.setInt(i + 9, run.attempt());
    setInstant(ps, i + 10, run.retryAt());
    return i + 11;
  }
}
