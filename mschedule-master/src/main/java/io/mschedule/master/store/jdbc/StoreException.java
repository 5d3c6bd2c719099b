package io.mschedule.master.store.jdbc;

import java.sql.SQLException;

/** A database error under a store call; the cause is the driver's {@link SQLException}. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** True when the database refused a row that would break a unique constraint. */
  static boolean isUniqueViolation(StoreException e) {
    return e.getCause() instanceof SQLException s && hasState(s, "23505");
  }

  /** The state of the exception or, for a batch, of one of the failures chained to it. */
  private static boolean hasState(SQLException e, String state) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      if (state.equals(x.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** True when the database refused a change that would break a foreign key. */
  static boolean isForeignKeyViolation(StoreException e) {
    return e.getCause() instanceof SQLException s && "23503".equals(s.getSQLState());
  }

  static StoreException of(SQLException e) {
    return new StoreException(
        "database error (SQLState " + e.getSQLState() + "): " + e.getMessage(), e);
  }
}
