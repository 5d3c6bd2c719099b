package io.mschedule.master.store.jdbc;

import io.mschedule.master.store.Lease;
import io.mschedule.master.store.LeaseLostException;
import io.mschedule.master.store.NewTask;
import io.mschedule.master.store.TaskQuery;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunOutput;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskState;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@link TaskStore} over tables {@code tasks}, {@code runs} and {@code run_output}. State changes
 * are compare-and-set updates on the stored state. Times are kept to the millisecond.
 */
final class JdbcTaskStore implements TaskStore {
  private static final byte[] NO_OUTPUT = new byte[0];

  private final JdbcRunner jdbc;
  private final Dialect dialect;

  JdbcTaskStore(JdbcRunner jdbc, Dialect dialect) {
    this.jdbc = jdbc;
    this.dialect = dialect;
  }

  @Override
  public List<Boolean> insertAll(List<NewTask> tasks, String masterId, Duration leaseTtl) {
    try {
      jdbc.inTransaction(
          s -> {
            for (NewTask t : tasks) {
              insert(s, t.task(), t.runs(), masterId, leaseTtl);
            }
            JdbcAuditStore.append(
                s, tasks.stream().map(NewTask::audit).filter(a -> a != null).toList());
            return null;
          });
      return Collections.nCopies(tasks.size(), true);
    } catch (StoreException e) {
      if (tasks.size() == 1
          && tasks.get(0).task().origin().schedule() != null
          && StoreException.isUniqueViolation(e)) {
        return List.of(false); // the slot's task exists: (schedule_name, scheduled_for) is unique
      }
      throw e;
    }
  }

  private void insert(JdbcSession s, Task task, List<Run> runs, String masterId, Duration leaseTtl)
      throws SQLException {
    s.update(TaskRows.INSERT_TASK, ps -> TaskRows.bindInsert(ps, task));
    TaskFileRows.insert(s, task);
    s.batch(TaskRows.INSERT_RUN, runs, TaskRows::bindInsert);
    if (masterId != null) {
      s.update(
          "INSERT INTO task_leases (task_id, master_id, epoch, expires_at) VALUES (?, ?, 1, "
              + dialect.nowMillis()
              + " + ?)",
          ps -> {
            ps.setString(1, task.id());
            ps.setString(2, masterId);
            ps.setLong(3, leaseTtl.toMillis());
          });
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
            TaskRows::task)
        .map(t -> TaskFileRows.attach(jdbc, t));
  }

  @Override
  public List<String> taskIdsStartingWith(String prefix, int limit) {
    if (limit <= 0 || !prefix.matches("[0-9a-f]+")) {
      return List.of(); // ids are hex: nothing to escape in LIKE
    }
    return jdbc.query(
        "SELECT id FROM tasks WHERE id LIKE ? ORDER BY id FETCH FIRST ? ROWS ONLY",
        ps -> {
          ps.setString(1, prefix + "%");
          ps.setInt(2, limit);
        },
        rs -> rs.getString(1));
  }

  @Override
  public List<Task> recentTasks(int limit) {
    return tasks(TaskQuery.recent(limit));
  }

  @Override
  public List<Task> tasks(TaskQuery query) {
    if (query.limit() <= 0) {
      return List.of();
    }
    List<TaskState> states = List.copyOf(query.states());
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(TaskRows.TASK_COLUMNS)
            .append(" FROM tasks WHERE 1 = 1");
    if (!states.isEmpty()) {
      sql.append(" AND state IN (").append(String.join(", ", nCopies(states.size()))).append(')');
    }
    List<Object> values = new ArrayList<>();
    if (query.since() != null) {
      sql.append(" AND created_at >= ?");
      values.add(query.since());
    }
    if (query.until() != null) {
      sql.append(" AND created_at < ?");
      values.add(query.until());
    }
    if (query.createdBy() != null) {
      sql.append(" AND created_by = ?");
      values.add(query.createdBy());
    }
    if (query.target() != null) {
      sql.append(" AND targets LIKE ? ESCAPE '!'");
      values.add("%" + likeEscaped(query.target()) + "%");
    }
    if (query.job() != null) {
      sql.append(" AND job = ?");
      values.add(query.job());
    }
    if (query.schedule() != null) {
      sql.append(" AND schedule_name = ?");
      values.add(query.schedule());
    }
    sql.append(" ORDER BY created_at DESC, id DESC FETCH FIRST ? ROWS ONLY");
    return jdbc.query(
        sql.toString(),
        ps -> {
          int i = 1;
          for (TaskState s : states) {
            ps.setString(i++, s.name());
          }
          for (Object v : values) {
            if (v instanceof Instant t) {
              Columns.setInstant(ps, i++, t);
            } else {
              ps.setString(i++, (String) v);
            }
          }
          ps.setInt(i, query.limit());
        },
        TaskRows::task);
  }

  /**
   * {@code text} for a LIKE pattern with escape character {@code !}: its wildcards match only
   * themselves.
   */
  private static String likeEscaped(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  private static List<String> nCopies(int n) {
    return Collections.nCopies(n, "?");
  }

  @Override
  public long waitingRuns() {
    return jdbc.queryOne(
            "SELECT COUNT(*) FROM runs r JOIN tasks t ON t.id = r.task_id"
                + " WHERE r.state = ? AND t.state IN (?, ?)",
            ps -> {
              ps.setString(1, RunState.WAITING.name());
              ps.setString(2, TaskState.PENDING.name());
              ps.setString(3, TaskState.RUNNING.name());
            },
            rs -> rs.getLong(1))
        .orElse(0L);
  }

  @Override
  public int purgeFinishedBefore(Instant cutoff, int batch) {
    if (batch <= 0) {
      return 0;
    }
    List<TaskState> ended = Arrays.stream(TaskState.values()).filter(TaskState::isFinal).toList();
    String endedIn = "state IN (" + String.join(", ", nCopies(ended.size())) + ")";
    return jdbc.inTransaction(
        s -> {
          List<String> ids =
              s.query(
                  "SELECT id FROM tasks WHERE finished_at < ? AND "
                      + endedIn
                      + " ORDER BY finished_at, id FETCH FIRST ? ROWS ONLY",
                  ps -> {
                    Columns.setInstant(ps, 1, cutoff);
                    int i = 2;
                    for (TaskState st : ended) {
                      ps.setString(i++, st.name());
                    }
                    ps.setInt(i, batch);
                  },
                  rs -> rs.getString("id"));
          s.batch("DELETE FROM run_output WHERE task_id = ?", ids, (ps, id) -> ps.setString(1, id));
          s.batch(
              "DELETE FROM run_attempts WHERE task_id = ?", ids, (ps, id) -> ps.setString(1, id));
          s.batch("DELETE FROM task_files WHERE task_id = ?", ids, (ps, id) -> ps.setString(1, id));
          s.batch("DELETE FROM runs WHERE task_id = ?", ids, (ps, id) -> ps.setString(1, id));
          int deleted = 0;
          for (int n :
              s.batch(
                  "DELETE FROM tasks WHERE id = ? AND " + endedIn,
                  ids,
                  (ps, id) -> {
                    ps.setString(1, id);
                    int i = 2;
                    for (TaskState st : ended) {
                      ps.setString(i++, st.name());
                    }
                  })) {
            deleted += Math.max(n, 0);
          }
          return deleted;
        });
  }

  @Override
  public List<Task> unfinishedTasks() {
    return jdbc
        .query(
            "SELECT "
                + TaskRows.TASK_COLUMNS
                + " FROM tasks WHERE state IN (?, ?) ORDER BY created_at, id",
            ps -> {
              ps.setString(1, TaskState.PENDING.name());
              ps.setString(2, TaskState.RUNNING.name());
            },
            TaskRows::task)
        .stream()
        .map(t -> TaskFileRows.attach(jdbc, t))
        .toList();
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

  @Override
  public List<Boolean> updateRuns(List<Run> updated, RunState expected) {
    return jdbc.inTransaction(s -> updateRuns(s, updated, expected));
  }

  @Override
  public List<List<Boolean>> startTasks(List<TaskStart> starts) {
    return jdbc.inTransaction(
        s -> {
          List<List<Boolean>> won = new ArrayList<>(starts.size());
          for (TaskStart t : starts) {
            hold(s, t.lease());
            won.add(
                s.update(
                            TaskRows.UPDATE_TASK,
                            ps -> TaskRows.bindUpdate(ps, t.begun(), t.expected()))
                        == 1
                    ? updateRuns(s, t.runs(), t.expectedRuns())
                    : null);
          }
          return won;
        });
  }

  @Override
  public List<Boolean> updateTasks(List<TaskChange> changes) {
    return jdbc.inTransaction(
        s -> {
          for (TaskChange c : changes) {
            hold(s, c.lease());
          }
          return changedOne(
              s.batch(
                  TaskRows.UPDATE_TASK,
                  changes,
                  (ps, c) -> TaskRows.bindUpdate(ps, c.updated(), c.expected())));
        });
  }

  @Override
  public boolean updateTask(Task updated, TaskState expected, Lease lease) {
    return jdbc.inTransaction(
        s -> {
          hold(s, lease);
          return s.update(TaskRows.UPDATE_TASK, ps -> TaskRows.bindUpdate(ps, updated, expected))
              == 1;
        });
  }

  @Override
  public boolean updateRun(Run updated, RunState expected, Lease lease) {
    return jdbc.inTransaction(
        s -> {
          hold(s, lease);
          return s.update(TaskRows.UPDATE_RUN, ps -> TaskRows.bindUpdate(ps, updated, expected))
              == 1;
        });
  }

  @Override
  public List<Boolean> updateRuns(List<Run> updated, RunState expected, Lease lease) {
    return jdbc.inTransaction(
        s -> {
          hold(s, lease);
          return updateRuns(s, updated, expected);
        });
  }

  /** Each run compare-and-set on {@code expected}, in the session's transaction. */
  private static List<Boolean> updateRuns(JdbcSession s, List<Run> runs, RunState expected)
      throws SQLException {
    return changedOne(
        s.batch(TaskRows.UPDATE_RUN, runs, (ps, r) -> TaskRows.bindUpdate(ps, r, expected)));
  }

  /** Per item of a batch: whether it changed exactly one row. */
  private static List<Boolean> changedOne(int[] counts) {
    List<Boolean> won = new ArrayList<>(counts.length);
    for (int c : counts) {
      won.add(c == 1);
    }
    return won;
  }

  /**
   * Locks the lease row if it is still current, so no other master takes the task over before this
   * transaction ends; throws when it is not.
   */
  private void hold(JdbcSession s, Lease lease) throws SQLException {
    if (lease == null) { // a lone master: nothing to fence
      return;
    }
    var held =
        s.update(
            "UPDATE task_leases SET epoch = epoch WHERE task_id = ? AND master_id = ? AND epoch = ?"
                + " AND expires_at > "
                + dialect.nowMillis(),
            ps -> {
              ps.setString(1, lease.taskId());
              ps.setString(2, lease.masterId());
              ps.setLong(3, lease.epoch());
            });
    if (held != 1) {
      throw new LeaseLostException(lease);
    }
  }

  /** A null {@code output} records the run's end without output. */
  @Override
  public boolean completeRun(Run finished, RunState expected, byte[] output) {
    return completeRun(finished, expected, output == null ? null : RunOutput.stdout(output));
  }

  /** A null {@code output} records the run's end without output. */
  @Override
  public boolean completeRun(Run finished, RunState expected, RunOutput output) {
    return completeRuns(List.of(new Completion(finished, expected, output))).get(0);
  }

  @Override
  public List<Boolean> completeRuns(List<Completion> all) {
    return jdbc.inTransaction(
        s -> {
          // The CAS locks the run row: a concurrent completion waits, then finds the state changed.
          List<Boolean> won =
              changedOne(
                  s.batch(
                      TaskRows.UPDATE_RUN,
                      all,
                      (ps, c) -> TaskRows.bindUpdate(ps, c.finished(), c.expected())));
          List<Completion> withOutput = new ArrayList<>();
          for (int i = 0; i < all.size(); i++) {
            if (won.get(i) && all.get(i).output() != null) {
              withOutput.add(all.get(i));
            }
          }
          writeOutputs(s, withOutput);
          return won;
        });
  }

  @Override
  public boolean retryRun(Run ended, Run next) {
    return jdbc.inTransaction(s -> retry(s, ended, next));
  }

  @Override
  public boolean retryRun(Run ended, Run next, Lease lease) {
    return jdbc.inTransaction(
        s -> {
          hold(s, lease);
          return retry(s, ended, next);
        });
  }

  /** The CAS on the ended attempt, then its row in run_attempts; its output goes (all streams). */
  private static boolean retry(JdbcSession s, Run ended, Run next) throws SQLException {
    var won =
        s.update(
                TaskRows.UPDATE_RUN,
                ps -> TaskRows.bindUpdate(ps, next, ended.state(), ended.attempt()))
            == 1;
    if (won) {
      s.update(TaskRows.INSERT_ATTEMPT, ps -> TaskRows.bindAttempt(ps, ended));
      s.update(
          "DELETE FROM run_output WHERE task_id = ? AND agent_id = ?",
          ps -> {
            ps.setString(1, ended.taskId());
            ps.setString(2, ended.agentId());
          });
    }
    return won;
  }

  @Override
  public List<Run> attempts(String taskId) {
    return jdbc.query(
        "SELECT a.task_id, a.agent_id, a.attempt, a.state, a.code, a.truncated, a.started_at,"
            + " a.finished_at, a.error, a.late, r.hostname, r.seq FROM run_attempts a"
            + " JOIN runs r ON r.task_id = a.task_id AND r.agent_id = a.agent_id"
            + " WHERE a.task_id = ? ORDER BY r.seq, a.agent_id, a.attempt",
        ps -> ps.setString(1, taskId),
        rs -> TaskRows.attempt(rs, rs.getString("hostname"), rs.getInt("seq")));
  }

  /**
   * Stores the output of completed runs, replacing any the runs had: one batch of updates, then one
   * batch of inserts for the runs that had none (two statements in all, not two per run).
   */
  private static void writeOutputs(JdbcSession s, List<Completion> completed) throws SQLException {
    int[] replaced =
        s.batch(
            "UPDATE run_output SET data = ?, streams = ? WHERE task_id = ? AND agent_id = ?",
            completed,
            (ps, c) -> {
              ps.setBytes(1, c.output().data());
              ps.setString(2, streamsColumn(c.output()));
              ps.setString(3, c.finished().taskId());
              ps.setString(4, c.finished().agentId());
            });
    List<Completion> fresh = new ArrayList<>();
    for (int i = 0; i < completed.size(); i++) {
      if (replaced[i] == 0) {
        fresh.add(completed.get(i));
      }
    }
    s.batch(
        "INSERT INTO run_output (task_id, agent_id, data, streams) VALUES (?, ?, ?, ?)",
        fresh,
        (ps, c) -> {
          ps.setString(1, c.finished().taskId());
          ps.setString(2, c.finished().agentId());
          ps.setBytes(3, c.output().data());
          ps.setString(4, streamsColumn(c.output()));
        });
  }

  /** Column {@code streams}: the run lengths, comma-separated; null when all is stdout. */
  private static String streamsColumn(RunOutput output) {
    if (output.allStdout()) {
      return null;
    }
    return output.streamRuns().stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  private static List<Integer> streams(String column) {
    if (column == null || column.isBlank()) {
      return List.of();
    }
    return Arrays.stream(column.split(",")).map(n -> Integer.valueOf(n.trim())).toList();
  }

  @Override
  public Map<String, RunOutput> runOutputs(String taskId) {
    var rows =
        jdbc.query(
            """
            SELECT o.agent_id, o.data, o.streams FROM run_output o
            JOIN runs r ON r.task_id = o.task_id AND r.agent_id = o.agent_id
            WHERE o.task_id = ? ORDER BY r.seq, o.agent_id""",
            ps -> ps.setString(1, taskId),
            rs ->
                Map.entry(
                    rs.getString("agent_id"),
                    new RunOutput(rs.getBytes("data"), streams(rs.getString("streams")))));
    var outputs = new LinkedHashMap<String, RunOutput>();
    rows.forEach(e -> outputs.put(e.getKey(), e.getValue()));
    return outputs;
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
