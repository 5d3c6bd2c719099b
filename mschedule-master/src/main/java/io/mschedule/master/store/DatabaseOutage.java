package io.mschedule.master.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database that cannot be reached (down, restarting, no free connection) from other
 * database errors, so that the API answers 503 for the first and 500 for the rest, and loops log an
 * outage in one line.
 */
public final class DatabaseOutage {
  private DatabaseOutage() {}

  /** Whether {@code e} or one of its causes says the database cannot be reached. */
  public static boolean is(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        // class 08: connection exception; 57P01-57P03: the server shuts down or starts up
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** The API's error text: what the driver said, after a fixed prefix. */
  public static String message(Throwable e) {
    return "the database is unavailable: " + e.getMessage();
  }
}
