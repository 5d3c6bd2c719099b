package io.mschedule.master.store.jdbc;

import io.mschedule.master.store.AuditStore;
import io.mschedule.master.store.TokenStore;

/** The stores of API security ({@code api_tokens}, {@code audit_log}) on a master's database. */
public final class SecurityTables {
  private SecurityTables() {}

  public static TokenStore tokens(Database db) {
    return new JdbcTokenStore(new JdbcRunner(db.dataSource()));
  }

  public static AuditStore audit(Database db) {
    return new JdbcAuditStore(new JdbcRunner(db.dataSource()));
  }
}
