package io.mschedule.master.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Borrows a pooled connection for one unit of work, either in auto-commit or in one transaction.
 * {@link SQLException}s leave as {@link StoreException}.
 */
final class JdbcRunner {
  /** Binds the parameters of one statement. */
  @FunctionalInterface
  interface Params {
    Params NONE = ps -> {};

    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Binds the parameters of one statement of a batch from one item. */
  @FunctionalInterface
  interface ItemParams<T> {
    void bind(PreparedStatement ps, T item) throws SQLException;
  }

  /** Reads the current row. */
  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Work done on one connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(JdbcSession session) throws SQLException;
  }

  private final DataSource dataSource;

  JdbcRunner(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  <T> List<T> query(String sql, Params params, RowMapper<T> mapper) {
    return withConnection(s -> s.query(sql, params, mapper));
  }

  <T> Optional<T> queryOne(String sql, Params params, RowMapper<T> mapper) {
    var rows = query(sql, params, mapper);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  int update(String sql, Params params) {
    return withConnection(s -> s.update(sql, params));
  }

  /** Runs {@code work} in auto-commit mode: each statement commits on its own. */
  <T> T withConnection(Work<T> work) {
    try (var c = dataSource.getConnection()) {
      return work.run(new JdbcSession(c));
    } catch (SQLException e) {
      throw StoreException.of(e);
    }
  }

  /**
   * Runs {@code work} in one transaction, committed when it returns and rolled back if it throws.
   */
  <T> T inTransaction(Work<T> work) {
    // The pool restores auto-commit when the connection is returned.
    try (var c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        var result = work.run(new JdbcSession(c));
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollback(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw StoreException.of(e);
    }
  }

  private static void rollback(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
