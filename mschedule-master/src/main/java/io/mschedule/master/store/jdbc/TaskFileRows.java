package io.mschedule.master.store.jdbc;

import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskFile;
import io.mschedule.master.task.TaskFiles;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Table {@code task_files}: the files of a task, kept beside its row. */
final class TaskFileRows {
  private TaskFileRows() {}

  private record Row(int seq, TaskFile file, boolean copy) {}

  static void insert(JdbcSession s, Task task) throws SQLException {
    if (task.files().isEmpty()) {
      return;
    }
    List<Row> rows = new ArrayList<>();
    int seq = 0;
    for (TaskFile f : task.files().files()) {
      rows.add(new Row(seq++, f, task.files().copy()));
    }
    s.batch(
        "INSERT INTO task_files (task_id, seq, sha256, name, size, dest, file_mode, file_owner,"
            + " is_copy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
        (ps, r) -> {
          ps.setString(1, task.id());
          ps.setInt(2, r.seq());
          ps.setString(3, r.file().sha256());
          ps.setString(4, r.file().name());
          ps.setLong(5, r.file().size());
          ps.setString(6, r.file().dest());
          ps.setString(7, r.file().mode());
          ps.setString(8, r.file().owner());
          ps.setBoolean(9, r.copy());
        });
  }

  /** {@code task} with its stored files. */
  static Task attach(JdbcRunner jdbc, Task task) {
    List<Row> rows =
        jdbc.query(
            "SELECT seq, sha256, name, size, dest, file_mode, file_owner, is_copy FROM task_files"
                + " WHERE task_id = ? ORDER BY seq",
            ps -> ps.setString(1, task.id()),
            rs ->
                new Row(
                    rs.getInt(1),
                    new TaskFile(
                        rs.getString(2),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7)),
                    rs.getBoolean(8)));
    if (rows.isEmpty()) {
      return task;
    }
    return task.withFiles(new TaskFiles(rows.stream().map(Row::file).toList(), rows.get(0).copy()));
  }
}
