package io.mschedule.master.store.jdbc;

import io.mschedule.master.store.TaskStore;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskState;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link TaskStore} over tables {@code tasks}, {@code runs} and {@code run_output}. State changes
 * are compare-and-set updates on the stored state. Times are kept to the millisecond.
 */
final class JdbcTaskStore implements TaskStore {
  private static final byte[] NO_OUTPUT = new byte[0];

  private final JdbcRunner jdbc;

  JdbcTaskStore(JdbcRunner jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public boolean insert(Task task, List<Run> runs) {
    try {
      jdbc.inTransaction(
          s -> {
            s.update(TaskRows.INSERT_TASK, ps -> TaskRows.bindInsert(ps, task));
            return s.batch(TaskRows.INSERT_RUN, runs, TaskRows::bindInsert);
          });
      return true;
    } catch (StoreException e) {
      if (task.origin().schedule() != null && StoreException.isUniqueViolation(e)) {
        return false; // the slot's task exists: (schedule_name, scheduled_for) is unique
      }
      throw e;
    }
  }

  @Override
  public Optional<Task> latestOfSchedule(String schedule) {
    return jdbc.queryOne(
        "SELECT "
            + TaskRows.TASK_COLUMNS
            + " FROM tasks WHERE schedule_name = ? ORDER BY scheduled_for DESC FETCH FIRST 1 ROWS"
            + " ONLY",
        ps -> ps.setString(1, schedule),
        TaskRows::task);
  }

  @Override
  public Optional<Task> findTask(String id) {
    return jdbc.queryOne(
        "SELECT " + TaskRows.TASK_COLUMNS + " FROM tasks WHERE id = ?",
        ps -> ps.setString(1, id),
        TaskRows::task);
  }

  @Override
  public List<Task> recentTasks(int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return jdbc.query(
        "SELECT "
            + TaskRows.TASK_COLUMNS
            + " FROM tasks ORDER BY created_at DESC, id DESC FETCH FIRST ? ROWS ONLY",
        ps -> ps.setInt(1, limit),
        TaskRows::task);
  }

  @Override
  public List<Task> unfinishedTasks() {
    return jdbc.query(
        "SELECT "
            + TaskRows.TASK_COLUMNS
            + " FROM tasks WHERE state IN (?, ?) ORDER BY created_at, id",
        ps -> {
          ps.setString(1, TaskState.PENDING.name());
          ps.setString(2, TaskState.RUNNING.name());
        },
        TaskRows::task);
  }

  @Override
  public List<Run> runs(String taskId) {
    return jdbc.query(
        "SELECT " + TaskRows.RUN_COLUMNS + " FROM runs WHERE task_id = ? ORDER BY seq, agent_id",
        ps -> ps.setString(1, taskId),
        TaskRows::run);
  }

  @Override
  public Optional<Run> findRun(String taskId, String agentId) {
    return jdbc.queryOne(
        "SELECT " + TaskRows.RUN_COLUMNS + " FROM runs WHERE task_id = ? AND agent_id = ?",
        ps -> {
          ps.setString(1, taskId);
          ps.setString(2, agentId);
        },
        TaskRows::run);
  }

  @Override
  public boolean updateTask(Task updated, TaskState expected) {
    return jdbc.update(TaskRows.UPDATE_TASK, ps -> TaskRows.bindUpdate(ps, updated, expected)) == 1;
  }

  @Override
  public boolean updateRun(Run updated, RunState expected) {
    return jdbc.update(TaskRows.UPDATE_RUN, ps -> TaskRows.bindUpdate(ps, updated, expected)) == 1;
  }

  /** A null {@code output} records the run's end without output. */
  @Override
  public boolean completeRun(Run finished, RunState expected, byte[] output) {
    return jdbc.inTransaction(
        s -> {
          // The CAS locks the run row: a concurrent completion waits, then finds the state changed.
          var won =
              s.update(TaskRows.UPDATE_RUN, ps -> TaskRows.bindUpdate(ps, finished, expected)) == 1;
          if (won && output != null) {
            writeOutput(s, finished.taskId(), finished.agentId(), output);
          }
          return won;
        });
  }

  private static void writeOutput(JdbcSession s, String taskId, String agentId, byte[] output)
      throws SQLException {
    var replaced =
        s.update(
            "UPDATE run_output SET data = ? WHERE task_id = ? AND agent_id = ?",
            ps -> {
              ps.setBytes(1, output);
              ps.setString(2, taskId);
              ps.setString(3, agentId);
            });
    if (replaced == 0) {
      s.update(
          "INSERT INTO run_output (task_id, agent_id, data) VALUES (?, ?, ?)",
          ps -> {
            ps.setString(1, taskId);
            ps.setString(2, agentId);
            ps.setBytes(3, output);
          });
    }
  }

  @Override
  public byte[] output(String taskId, String agentId) {
    return jdbc.queryOne(
            "SELECT data FROM run_output WHERE task_id = ? AND agent_id = ?",
            ps -> {
              ps.setString(1, taskId);
              ps.setString(2, agentId);
            },
            rs -> rs.getBytes("data"))
        .orElse(NO_OUTPUT);
  }

  /** In the order of the runs' seq. */
  @Override
  public Map<String, byte[]> outputs(String taskId) {
    var rows =
        jdbc.query(
            """
            SELECT o.agent_id, o.data FROM run_output o
            JOIN runs r ON r.task_id = o.task_id AND r.agent_id = o.agent_id
            WHERE o.task_id = ? ORDER BY r.seq, o.agent_id""",
            ps -> ps.setString(1, taskId),
            rs -> Map.entry(rs.getString("agent_id"), rs.getBytes("data")));
    var outputs = new LinkedHashMap<String, byte[]>();
    rows.forEach(e -> outputs.put(e.getKey(), e.getValue()));
    return outputs;
  }
}
