package io.mschedule.master.store.jdbc;

import io.mschedule.master.store.MasterRecord;
import io.mschedule.master.store.MasterStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link MasterStore} over table {@code masters}, on the database's clock. */
final class JdbcMasterStore implements MasterStore {
  private final JdbcRunner jdbc;
  private final String now;

  JdbcMasterStore(JdbcRunner jdbc, Dialect dialect) {
    this.jdbc = jdbc;
    this.now = dialect.nowMillis();
  }

  @Override
  public void register(String id, String agentEndpoint, String apiUrl) {
    jdbc.inTransaction(
        s -> {
          s.update("DELETE FROM masters WHERE id = ?", ps -> ps.setString(1, id));
          return s.update(
              "INSERT INTO masters (id, agent_endpoint, api_url, started_at, last_heartbeat,"
                  + " agents_connected, tasks_owned) VALUES (?, ?, ?, "
                  + now
                  + ", "
                  + now
                  + ", 0, 0)",
              ps -> {
                ps.setString(1, id);
                ps.setString(2, agentEndpoint);
                ps.setString(3, apiUrl);
              });
        });
  }

  @Override
  public boolean heartbeat(String id, int agentsConnected, int tasksOwned) {
    return jdbc.update(
            "UPDATE masters SET last_heartbeat = "
                + now
                + ", agents_connected = ?, tasks_owned = ? WHERE id = ?",
            ps -> {
              ps.setInt(1, agentsConnected);
              ps.setInt(2, tasksOwned);
              ps.setString(3, id);
            })
        == 1;
  }

  @Override
  public int forgetSilent(Duration silentFor) {
    return jdbc.update(
        "DELETE FROM masters WHERE last_heartbeat < " + now + " - ?",
        ps -> ps.setLong(1, silentFor.toMillis()));
  }

  @Override
  public List<MasterRecord> all() {
    return jdbc.query(
        "SELECT id, agent_endpoint, api_url, started_at, last_heartbeat, agents_connected,"
            + " tasks_owned, "
            + now
            + " AS db_now FROM masters ORDER BY id",
        JdbcRunner.Params.NONE,
        rs ->
            new MasterRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                Instant.ofEpochMilli(rs.getLong(4)),
                Instant.ofEpochMilli(rs.getLong(5)),
                rs.getInt(6),
                rs.getInt(7),
                Instant.ofEpochMilli(rs.getLong(8))));
  }

  @Override
  public Map<String, String> agentMasters(String except) {
    var out = new HashMap<String, String>();
    jdbc.query(
            "SELECT id, master_id FROM agents WHERE master_id IS NOT NULL AND master_id <> ?",
            ps -> ps.setString(1, except == null ? "" : except),
            rs -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  @Override
  public void agentsOn(Collection<String> agentIds, String masterId) {
    if (agentIds.isEmpty()) {
      return;
    }
    jdbc.inTransaction(
        s ->
            s.batch(
                "UPDATE agents SET master_id = ? WHERE id = ?",
                agentIds,
                (ps, agentId) -> {
                  ps.setString(1, masterId);
                  ps.setString(2, agentId);
                }));
  }
}
