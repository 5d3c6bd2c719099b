package io.mschedule.master.store.jdbc;

/** H2 2.x, the embedded default. */
public final class H2Dialect implements Dialect {
  @Override
  public String name() {
    return "h2";
  }

  @Override
  public String upsertAgentSql() {
    return """
        MERGE INTO agents t
        USING (VALUES (CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR),
                       CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS BIGINT),
                       CAST(? AS BIGINT), CAST(? AS VARCHAR)))
          AS s(id, hostname, ip, labels, version, first_seen, last_seen, name)
        ON t.id = s.id
        WHEN MATCHED THEN UPDATE SET
          hostname = s.hostname, ip = s.ip, labels = s.labels, version = s.version,
          last_seen = s.last_seen, name = s.name
        WHEN NOT MATCHED THEN
          INSERT (id, hostname, ip, labels, version, first_seen, last_seen, name)
          VALUES (s.id, s.hostname, s.ip, s.labels, s.version, s.first_seen, s.last_seen,
                  s.name)
        """;
  }

  @Override
  public String toString() {
    return name();
  }
}
