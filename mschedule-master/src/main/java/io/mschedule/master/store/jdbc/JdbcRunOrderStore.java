package io.mschedule.master.store.jdbc;

import io.mschedule.master.store.RunOrder;
import io.mschedule.master.store.RunOrderStore;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@link RunOrderStore} over table {@code run_orders}. Picking locks the rows it reads with {@code
 * FOR UPDATE SKIP LOCKED}, so two passes never deliver one order twice, and deletes what it
 * delivers in the same transaction.
 */
final class JdbcRunOrderStore implements RunOrderStore {
  private static final String DELIVERED_BY_AGENT_HOLDER =
      "'" + RunOrder.Kind.START.name() + "', '" + RunOrder.Kind.KILL.name() + "'";

  private final JdbcRunner jdbc;
  private final String now;

  JdbcRunOrderStore(JdbcRunner jdbc, Dialect dialect) {
    this.jdbc = jdbc;
    this.now = dialect.nowMillis();
  }

  @Override
  public void order(List<RunOrder> orders) {
    if (orders.isEmpty()) {
      return;
    }
    for (RunOrder o : orders) {
      if (o.kind() == RunOrder.Kind.ENDED) {
        throw new IllegalArgumentException("ENDED is written by ended(), not order()");
      }
    }
    jdbc.inTransaction(
        s ->
            s.batch(
                "INSERT INTO run_orders (kind, task_id, agent_id, attempt, created_at)"
                    + " VALUES (?, ?, ?, ?, "
                    + now
                    + ")",
                orders,
                (ps, o) -> {
                  ps.setString(1, o.kind().name());
                  ps.setString(2, o.taskId());
                  ps.setString(3, o.agentId());
                  ps.setInt(4, o.attempt());
                }));
  }

  @Override
  public void ended(List<RunOrder> ended, String recordedBy) {
    if (ended.isEmpty()) {
      return;
    }
    jdbc.inTransaction(
        s ->
            s.batch(
                "INSERT INTO run_orders (kind, task_id, agent_id, attempt, created_at)"
                    + " SELECT '"
                    + RunOrder.Kind.ENDED.name()
                    + "', task_id, ?, ?, "
                    + now
                    + " FROM task_leases WHERE task_id = ? AND master_id <> ?",
                ended,
                (ps, o) -> {
                  ps.setString(1, o.agentId());
                  ps.setInt(2, o.attempt());
                  ps.setString(3, o.taskId());
                  ps.setString(4, recordedBy);
                }));
  }

  @Override
  public List<RunOrder> take(
      String masterId, int limit, Duration maxAge, Predicate<RunOrder> accept) {
    return jdbc.inTransaction(
        s -> {
          s.update(
              "DELETE FROM run_orders WHERE created_at < " + now + " - ?",
              ps -> ps.setLong(1, maxAge.toMillis()));
          List<RunOrder> picked =
              s.query(
                  "SELECT id, kind, task_id, agent_id, attempt FROM run_orders WHERE (kind IN ("
                      + DELIVERED_BY_AGENT_HOLDER
                      + ") AND agent_id IN (SELECT id FROM agents WHERE master_id = ?))"
                      + " OR (kind = '"
                      + RunOrder.Kind.ENDED.name()
                      + "' AND task_id IN (SELECT task_id FROM task_leases WHERE master_id = ?))"
                      + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
                  ps -> {
                    ps.setString(1, masterId);
                    ps.setString(2, masterId);
                    ps.setInt(3, limit);
                  },
                  rs ->
                      new RunOrder(
                          rs.getLong(1),
                          RunOrder.Kind.valueOf(rs.getString(2)),
                          rs.getString(3),
                          rs.getString(4),
                          rs.getInt(5)));
          List<RunOrder> taken = new ArrayList<>();
          for (RunOrder o : picked) {
            if (accept.test(o)) {
              taken.add(o);
            }
          }
          s.batch("DELETE FROM run_orders WHERE id = ?", taken, (ps, o) -> ps.setLong(1, o.id()));
          return taken;
        });
  }

  @Override
  public List<RunOrder> inFlightElsewhere(String agentId, String masterId) {
    return jdbc.query(
        "SELECT r.task_id, r.attempt FROM tasks t JOIN runs r ON r.task_id = t.id AND r.agent_id = ?"
            + " WHERE t.state IN ('"
            + TaskState.PENDING.name()
            + "', '"
            + TaskState.RUNNING.name()
            + "') AND r.state = '"
            + RunState.RUNNING.name()
            + "' AND t.id NOT IN (SELECT task_id FROM task_leases WHERE master_id = ? AND"
            + " expires_at > "
            + now
            + ") ORDER BY t.created_at, t.id",
        ps -> {
          ps.setString(1, agentId);
          ps.setString(2, masterId);
        },
        rs -> new RunOrder(0, RunOrder.Kind.START, rs.getString(1), agentId, rs.getInt(2)));
  }

  @Override
  public Map<String, String> peerAgents(
      String masterId, Duration masterDeadAfter, Duration seenWithin) {
    Map<String, String> out = new HashMap<>();
    jdbc.query(
            "SELECT a.id, a.master_id FROM agents a JOIN masters m ON m.id = a.master_id"
                + " WHERE a.master_id <> ? AND m.last_heartbeat > "
                + now
                + " - ? AND a.last_seen > "
                + now
                + " - ?",
            ps -> {
              ps.setString(1, masterId);
              ps.setLong(2, masterDeadAfter.toMillis());
              ps.setLong(3, seenWithin.toMillis());
            },
            rs -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }
}
