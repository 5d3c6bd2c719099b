package io.mschedule.master.store.jdbc;

import io.mschedule.master.store.LiveOutputChunk;
import io.mschedule.master.store.LiveOutputStore;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** {@link LiveOutputStore} over table {@code live_output}. */
final class JdbcLiveOutputStore implements LiveOutputStore {
  private static final String STDOUT = "stdout";
  private static final String STDERR = "stderr";

  private final JdbcRunner jdbc;
  private final String now;

  JdbcLiveOutputStore(JdbcRunner jdbc, Dialect dialect) {
    this.jdbc = jdbc;
    this.now = dialect.nowMillis();
  }

  @Override
  public void write(List<LiveOutputChunk> chunks) {
    if (chunks.isEmpty()) {
      return;
    }
    jdbc.inTransaction(
        s ->
            s.batch(
                "INSERT INTO live_output (task_id, agent_id, seq, output_offset, stream, data,"
                    + " master_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
                    + now
                    + ")",
                chunks,
                (ps, c) -> {
                  ps.setString(1, c.taskId());
                  ps.setString(2, c.agentId());
                  ps.setLong(3, c.seq());
                  ps.setLong(4, c.offset());
                  ps.setString(5, c.stderr() ? STDERR : STDOUT);
                  ps.setBytes(6, c.data());
                  ps.setString(7, c.masterId());
                }));
  }

  @Override
  public List<LiveOutputChunk> read(
      Collection<String> taskIds, long afterId, String exceptMaster, int limit) {
    if (taskIds.isEmpty()) {
      return List.of();
    }
    List<String> ids = List.copyOf(taskIds);
    String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
    return jdbc.query(
        "SELECT id, task_id, agent_id, seq, output_offset, stream, data, master_id"
            + " FROM live_output WHERE task_id IN ("
            + marks
            + ") AND id > ? AND master_id <> ? ORDER BY id LIMIT ?",
        ps -> {
          int i = 1;
          for (String id : ids) {
            ps.setString(i++, id);
          }
          ps.setLong(i++, afterId);
          ps.setString(i++, exceptMaster);
          ps.setInt(i, limit);
        },
        rs ->
            new LiveOutputChunk(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getLong(5),
                STDERR.equals(rs.getString(6)),
                rs.getBytes(7),
                rs.getString(8)));
  }

  @Override
  public int purge(Duration keep) {
    return jdbc.update(
        "DELETE FROM live_output WHERE created_at < " + now + " - ?",
        ps -> ps.setLong(1, keep.toMillis()));
  }
}
