package io.mschedule.master.store.jdbc;

import static io.mschedule.master.store.jdbc.TestData.run;
import static io.mschedule.master.store.jdbc.TestData.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.task.RunState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.Flyway;
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

  @Test
  void runs_outputs_and_attempts_stored_before_the_task_key_are_kept() throws Exception {
    DatabaseConfig old = testDatabase().create(Files.createDirectories(tempDir.resolve("v20")));
    Flyway.configure()
        .dataSource(old.url(), old.user(), old.password())
        .locations(Database.COMMON_MIGRATIONS, db.dialect().migrationLocation())
        .target("20")
        .load()
        .migrate();
    try (var c = DriverManager.getConnection(old.url(), old.user(), old.password());
        var st = c.createStatement()) {
      for (String id : List.of("t1", "t2")) {
        st.executeUpdate(
            "INSERT INTO tasks (id, state, script, targets, parallel, timeout_seconds, created_at)"
                + " VALUES ('"
                + id
                + "', 'SUCCEEDED', 'hostname', '[\"*\"]', 0, 60, 1000)");
      }
      st.executeUpdate(
          "INSERT INTO runs (task_id, agent_id, seq, state, code, truncated, attempt) VALUES"
              + " ('t1', 'a1', 0, 'SUCCEEDED', 0, FALSE, 2), ('t1', 'a2', 1, 'FAILED', 3, FALSE, 1),"
              + " ('t2', 'a1', 0, 'SUCCEEDED', 0, FALSE, 1)");
      st.executeUpdate(
          "INSERT INTO run_attempts (task_id, agent_id, attempt, state, code, truncated, late)"
              + " VALUES ('t1', 'a1', 1, 'FAILED', 1, FALSE, FALSE)");
    }
    try (var c = DriverManager.getConnection(old.url(), old.user(), old.password());
        var ps =
            c.prepareStatement(
                "INSERT INTO run_output (task_id, agent_id, data) VALUES (?, ?, ?)")) {
      for (String[] row : new String[][] {{"t1", "a1"}, {"t1", "a2"}, {"t2", "a1"}}) {
        ps.setString(1, row[0]);
        ps.setString(2, row[1]);
        ps.setBytes(3, (row[0] + "/" + row[1]).getBytes(StandardCharsets.UTF_8));
        ps.executeUpdate();
      }
    }

    try (var upgraded = Database.open(old)) {
      var store = upgraded.taskStore();
      assertThat(store.runs("t1"))
          .extracting(r -> r.agentId() + " " + r.state() + " " + r.code() + " " + r.attempt())
          .containsExactly("a1 SUCCEEDED 0 2", "a2 FAILED 3 1");
      assertThat(store.outputs("t1").keySet()).containsExactly("a1", "a2");
      assertThat(new String(store.output("t2", "a1"), StandardCharsets.UTF_8)).isEqualTo("t2/a1");
      assertThat(store.attempts("t1"))
          .extracting(r -> r.agentId() + " " + r.attempt() + " " + r.state())
          .containsExactly("a1 1 FAILED");

      // a task stored after the migration takes a key of its own
      store.insert(task("t3"), List.of(run("t3", "a1", 0)));
      assertThat(store.runs("t3")).extracting(r -> r.state()).containsExactly(RunState.WAITING);
      assertThat(store.runs("t2")).hasSize(1);
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
