package io.mschedule.master.store.jdbc;

import static io.mschedule.master.store.jdbc.Columns.getInstant;
import static io.mschedule.master.store.jdbc.Columns.setInstant;
import static io.mschedule.master.store.jdbc.Columns.stringList;
import static io.mschedule.master.store.jdbc.Columns.stringMap;
import static io.mschedule.master.store.jdbc.Columns.toJson;

import io.mschedule.master.store.AgentRecord;
import io.mschedule.master.store.AgentStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link AgentStore} over table {@code agents}. Times are kept to the millisecond. */
final class JdbcAgentStore implements AgentStore {
  private static final int UPSERT_ATTEMPTS = 3;
  private static final String COLUMNS =
      "id, hostname, ip, labels, version, first_seen, last_seen, name";

  private final JdbcRunner jdbc;
  private final Dialect dialect;

  JdbcAgentStore(JdbcRunner jdbc, Dialect dialect) {
    this.jdbc = jdbc;
    this.dialect = dialect;
  }

  @Override
  public void upsertAll(List<AgentRecord> agents) {
    if (agents.isEmpty()) {
      return;
    }
    // Sorted, so that concurrent batches lock rows in the same order.
    List<AgentRecord> sorted =
        agents.stream().sorted(Comparator.comparing(AgentRecord::id)).toList();
    for (var attempt = 1; ; attempt++) {
      try {
        jdbc.inTransaction(
            s -> s.batch(dialect.upsertAgentSql(), sorted, JdbcAgentStore::bindUpsert));
        return;
      } catch (StoreException e) {
        // H2's MERGE can lose a race with a concurrent insert of the same id; a retry then finds
        // the row and updates it. PostgreSQL's ON CONFLICT never gets here.
        if (!StoreException.isUniqueViolation(e) || attempt == UPSERT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static void bindUpsert(PreparedStatement ps, AgentRecord agent) throws SQLException {
    ps.setString(1, agent.id());
    ps.setString(2, agent.hostname());
    ps.setString(3, toJson(agent.ip()));
    ps.setString(4, toJson(agent.labels()));
    ps.setString(5, agent.version());
    setInstant(ps, 6, agent.firstSeen());
    setInstant(ps, 7, agent.lastSeen());
    ps.setString(8, agent.name());
  }

  @Override
  public boolean delete(String id) {
    return jdbc.update("DELETE FROM agents WHERE id = ?", ps -> ps.setString(1, id)) == 1;
  }

  @Override
  public void touch(Map<String, Instant> lastSeen) {
    if (lastSeen.isEmpty()) {
      return;
    }
    // Sorted, so that concurrent batches lock rows in the same order.
    var sorted = new TreeMap<>(lastSeen).entrySet();
    jdbc.inTransaction(
        s ->
            s.batch(
                "UPDATE agents SET last_seen = ? WHERE id = ?",
                sorted,
                (ps, e) -> {
                  setInstant(ps, 1, e.getValue());
                  ps.setString(2, e.getKey());
                }));
  }

  /** Ordered by id. */
  @Override
  public List<AgentRecord> findAll() {
    return jdbc.query(
        "SELECT " + COLUMNS + " FROM agents ORDER BY id", JdbcRunner.Params.NONE, this::agent);
  }

  @Override
  public Optional<AgentRecord> find(String id) {
    return jdbc.queryOne(
        "SELECT " + COLUMNS + " FROM agents WHERE id = ?", ps -> ps.setString(1, id), this::agent);
  }

  private AgentRecord agent(ResultSet rs) throws SQLException {
    return new AgentRecord(
        rs.getString("id"),
        rs.getString("hostname"),
        stringList(rs, "ip"),
        stringMap(rs, "labels"),
        rs.getString("version"),
        getInstant(rs, "first_seen"),
        getInstant(rs, "last_seen"),
        rs.getString("name"));
  }
}
