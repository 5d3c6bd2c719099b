package io.mschedule.master.store.jdbc;

import io.mschedule.master.store.AuditEntry;
import io.mschedule.master.store.AuditQuery;
import io.mschedule.master.store.AuditStore;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link AuditStore} over table {@code audit_log}; ids grow with every entry. */
final class JdbcAuditStore implements AuditStore {
  private final JdbcRunner jdbc;

  JdbcAuditStore(JdbcRunner jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void appendAll(List<AuditEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    jdbc.inTransaction(
        s -> {
          append(s, entries);
          return null;
        });
  }

  /** Appends {@code entries} in the session's transaction (an entry stored with what it audits). */
  static void append(JdbcSession s, List<AuditEntry> entries) throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    s.batch(
        "INSERT INTO audit_log (created_at, actor, action, target, detail)"
            + " VALUES (?, ?, ?, ?, ?)",
        entries,
        (ps, e) -> {
          Columns.setInstant(ps, 1, e.at());
          ps.setString(2, e.actor());
          ps.setString(3, e.action());
          ps.setString(4, e.target());
          ps.setString(5, e.detail());
        });
  }

  @Override
  public List<AuditEntry> find(AuditQuery query) {
    if (query.limit() <= 0) {
      return List.of();
    }
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, created_at, actor, action, target, detail FROM audit_log WHERE 1 = 1");
    List<Object> values = new ArrayList<>();
    if (query.actor() != null) {
      sql.append(" AND actor = ?");
      values.add(query.actor());
    }
    if (query.action() != null) {
      if (query.action().contains(".")) {
        sql.append(" AND action = ?");
        values.add(query.action());
      } else {
        sql.append(" AND (action = ? OR action LIKE ? ESCAPE '!')");
        values.add(query.action());
        values.add(query.action().replace("!", "!!").replace("%", "!%").replace("_", "!_") + ".%");
      }
    }
    if (query.since() != null) {
      sql.append(" AND created_at >= ?");
      values.add(query.since());
    }
    if (query.until() != null) {
      sql.append(" AND created_at < ?");
      values.add(query.until());
    }
    sql.append(" ORDER BY id DESC FETCH FIRST ? ROWS ONLY");
    return jdbc.query(
        sql.toString(),
        ps -> {
          int i = 1;
          for (Object v : values) {
            if (v instanceof Instant t) {
              Columns.setInstant(ps, i++, t);
            } else {
              ps.setString(i++, (String) v);
            }
          }
          ps.setInt(i, query.limit());
        },
        rs ->
            new AuditEntry(
                rs.getLong("id"),
                Columns.getInstant(rs, "created_at"),
                rs.getString("actor"),
                rs.getString("action"),
                rs.getString("target"),
                rs.getString("detail")));
  }

  @Override
  public int purgeBefore(Instant cutoff, int batch) {
    if (batch <= 0) {
      return 0;
    }
    return jdbc.update(
        "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE created_at < ?"
            + " ORDER BY id FETCH FIRST ? ROWS ONLY)",
        ps -> {
          Columns.setInstant(ps, 1, cutoff);
          ps.setInt(2, batch);
        });
  }
}
