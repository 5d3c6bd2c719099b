package io.mschedule.master.store.jdbc;

/** PostgreSQL, for production. */
public final class PostgresDialect implements Dialect {
  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public String upsertAgentSql() {
    return """
        INSERT INTO agents (id, hostname, ip, labels, version, first_seen, last_seen, name)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET
          hostname = EXCLUDED.hostname, ip = EXCLUDED.ip, labels = EXCLUDED.labels,
          version = EXCLUDED.version, last_seen = EXCLUDED.last_seen, name = EXCLUDED.name
        """;
  }

  @Override
  public String toString() {
    return name();
  }
}
