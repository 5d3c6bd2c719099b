package io.mschedule.master.store.jdbc;

/**
 * What differs between the supported databases. Everything else is portable SQL in the stores and
 * in {@code db/migration/common}.
 */
public interface Dialect {
  /** Short name, also the folder of this dialect's migrations under {@code db/migration}. */
  String name();

  /** Flyway location of this dialect's own migrations. */
  default String migrationLocation() {
    return "classpath:db/migration/" + name();
  }

  /**
   * Inserts an agent, or updates every column but {@code first_seen} when the id exists. Parameters
   * in order: id, hostname, ip, labels, version, first_seen, last_seen.
   */
  String upsertAgentSql();

  /** The database's clock in epoch milliseconds, as an SQL expression (leases and masters). */
  default String nowMillis() {
    return "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";
  }

  /** The dialect that speaks to the database at {@code url}. */
  static Dialect forUrl(String url) {
    if (url.startsWith("jdbc:h2:")) {
      return new H2Dialect();
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return new PostgresDialect();
    }
    throw new IllegalArgumentException(
        "unsupported database url "
            + redact(url)
            + ": expected jdbc:h2:... or jdbc:postgresql:...");
  }

  /** The URL without its parameters, which may hold credentials. */
  static String redact(String url) {
    var end = url.length();
    for (var c : new char[] {'?', ';'}) {
      var i = url.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    return end < url.length() ? url.substring(0, end) + "..." : url;
  }
}
