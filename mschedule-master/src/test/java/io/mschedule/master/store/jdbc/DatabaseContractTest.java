package io.mschedule.master.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Opening, migrating and reopening a database; one empty subclass per database. */
abstract class DatabaseContractTest extends StoreContractSupport {
  /** An empty database: opening it migrates it. */
  @Override
  DatabaseConfig freshDatabase() {
    return testDatabase().create(tempDir);
  }

  @Test
  void open_picks_the_dialect_and_migrates_an_empty_database() throws SQLException {
    assertThat(appliedMigrations()).isEqualTo(knownMigrations()).isGreaterThanOrEqualTo(3);
    assertThat(db.dialect().name()).isEqualTo(testDatabase().dialect);
  }

  @Test
  void reopening_an_up_to_date_database_applies_no_migration() throws SQLException {
    var before = appliedMigrations();

    reopen();
    reopen();

    assertThat(appliedMigrations()).isEqualTo(before);
  }

  @Test
  void the_data_source_stays_usable_until_close() throws SQLException {
    try (var c = db.dataSource().getConnection();
        var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM tasks")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  /** The migrations on the class path for this database (common and dialect folders). */
  private int knownMigrations() {
    return org.flywaydb.core.Flyway.configure()
        .dataSource(db.dataSource())
        .locations(Database.COMMON_MIGRATIONS, db.dialect().migrationLocation())
        .load()
        .info()
        .all()
        .length;
  }

  private int appliedMigrations() throws SQLException {
    try (var c = db.dataSource().getConnection();
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\" = TRUE"
                        + " AND \"version\" IS NOT NULL")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
