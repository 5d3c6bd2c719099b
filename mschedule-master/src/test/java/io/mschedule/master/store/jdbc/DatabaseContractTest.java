package io.mschedule.master.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Opening, migrating and reopening a database; one empty subclass per database. */
abstract class DatabaseContractTest extends StoreContractSupport {
  @Test
  void open_picks_the_dialect_and_migrates_an_empty_database() throws SQLException {
    assertThat(appliedMigrations()).isEqualTo(migrationFiles());
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

  /** The versioned migrations this database should have: common ones plus its dialect's. */
  private int migrationFiles() {
    var root = java.nio.file.Path.of("src/main/resources/db/migration");
    int n = 0;
    for (String dir : java.util.List.of("common", testDatabase().dialect)) {
      try (var files = java.nio.file.Files.list(root.resolve(dir))) {
        n += (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return n;
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
