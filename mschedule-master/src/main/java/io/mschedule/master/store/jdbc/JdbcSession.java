package io.mschedule.master.store.jdbc;

import io.mschedule.master.store.jdbc.JdbcRunner.ItemParams;
import io.mschedule.master.store.jdbc.JdbcRunner.Params;
import io.mschedule.master.store.jdbc.JdbcRunner.RowMapper;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Statements on one borrowed connection; see {@link JdbcRunner}. */
final class JdbcSession {
  private final Connection connection;

  JdbcSession(Connection connection) {
    this.connection = connection;
  }

  <T> List<T> query(String sql, Params params, RowMapper<T> mapper) throws SQLException {
    try (var ps = connection.prepareStatement(sql)) {
      params.bind(ps);
      try (var rs = ps.executeQuery()) {
        var rows = new ArrayList<T>();
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
        return rows;
      }
    }
  }

  /** Returns the number of rows changed. */
  int update(String sql, Params params) throws SQLException {
    try (var ps = connection.prepareStatement(sql)) {
      params.bind(ps);
      return ps.executeUpdate();
    }
  }

  /** Runs {@code sql} once per item as one JDBC batch; returns the rows changed per item. */
  <T> int[] batch(String sql, Collection<T> items, ItemParams<T> params) throws SQLException {
    if (items.isEmpty()) {
      return new int[0];
    }
    try (var ps = connection.prepareStatement(sql)) {
      for (var item : items) {
        params.bind(ps, item);
        ps.addBatch();
      }
      return ps.executeBatch();
    }
  }
}
