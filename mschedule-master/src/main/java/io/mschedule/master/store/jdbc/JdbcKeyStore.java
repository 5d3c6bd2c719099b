package io.mschedule.master.store.jdbc;

import static io.mschedule.master.store.jdbc.Columns.getInstant;
import static io.mschedule.master.store.jdbc.Columns.setInstant;

import io.mschedule.master.store.AgentKey;
import io.mschedule.master.store.KeyState;
import io.mschedule.master.store.KeyStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link KeyStore} over table {@code agent_keys}. */
final class JdbcKeyStore implements KeyStore {
  private static final String COLUMNS =
      "agent_id, public_key, state, first_seen, decided_at, decided_by";

  private final JdbcRunner jdbc;

  JdbcKeyStore(JdbcRunner jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public List<AgentKey> findAll() {
    return jdbc.query(
        "SELECT " + COLUMNS + " FROM agent_keys ORDER BY agent_id",
        JdbcRunner.Params.NONE,
        JdbcKeyStore::key);
  }

  @Override
  public Optional<AgentKey> find(String agentId) {
    return jdbc.queryOne(
        "SELECT " + COLUMNS + " FROM agent_keys WHERE agent_id = ?",
        ps -> ps.setString(1, agentId),
        JdbcKeyStore::key);
  }

  @Override
  public List<AgentKey> insertAllIfAbsent(List<AgentKey> keys) {
    return jdbc.inTransaction(
        s -> {
          List<AgentKey> stored = new ArrayList<>(keys.size());
          List<AgentKey> fresh = new ArrayList<>(keys.size());
          for (AgentKey key : keys) {
            List<AgentKey> found =
                s.query(
                    "SELECT " + COLUMNS + " FROM agent_keys WHERE agent_id = ?",
                    ps -> ps.setString(1, key.agentId()),
                    JdbcKeyStore::key);
            if (found.isEmpty()) {
              fresh.add(key);
            }
            stored.add(found.isEmpty() ? key : found.get(0));
          }
          s.batch(
              "INSERT INTO agent_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
              fresh,
              (ps, key) -> {
                ps.setString(1, key.agentId());
                ps.setString(2, key.publicKey());
                ps.setString(3, key.state().name());
                setInstant(ps, 4, key.firstSeen());
                setInstant(ps, 5, key.decidedAt());
                ps.setString(6, key.decidedBy());
              });
          return stored;
        });
  }

  @Override
  public boolean update(AgentKey key) {
    return jdbc.update(
            "UPDATE agent_keys SET public_key = ?, state = ?, decided_at = ?, decided_by = ?"
                + " WHERE agent_id = ?",
            ps -> {
              ps.setString(1, key.publicKey());
              ps.setString(2, key.state().name());
              setInstant(ps, 3, key.decidedAt());
              ps.setString(4, key.decidedBy());
              ps.setString(5, key.agentId());
            })
        == 1;
  }

  @Override
  public boolean delete(String agentId) {
    return jdbc.update("DELETE FROM agent_keys WHERE agent_id = ?", ps -> ps.setString(1, agentId))
        == 1;
  }

  private static AgentKey key(ResultSet rs) throws SQLException {
    return new AgentKey(
        rs.getString("agent_id"),
        rs.getString("public_key"),
        KeyState.valueOf(rs.getString("state")),
        getInstant(rs, "first_seen"),
        getInstant(rs, "decided_at"),
        rs.getString("decided_by"));
  }
}
