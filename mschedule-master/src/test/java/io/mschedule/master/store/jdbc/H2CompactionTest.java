package io.mschedule.master.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2CompactionTest {
  @TempDir Path dir;

  @Test
  void compaction_rewrites_the_sparse_chunks_that_one_commit_after_another_leaves_behind()
      throws SQLException {
    // the master's own URL; RETENTION_TIME=0 only so that chunks are old enough to rewrite at once
    var url = Database.embeddedUrl(dir) + ";RETENTION_TIME=0";
    try (var db = Database.open(new DatabaseConfig(url, "sa", "", 2))) {
      DataSource ds = db.dataSource();
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement()) {
        st.execute("CREATE TABLE filler (id INT PRIMARY KEY, payload VARCHAR(200))");
        for (int i = 0; i < 3000; i++) {
          // one commit each, as the master's writes are: each leaves a chunk of its own behind
          st.execute("INSERT INTO filler VALUES (" + i + ", REPEAT('x', 100))");
        }
      }
      long before = setting(ds, "info.CHUNK_COUNT");
      int fillBefore = (int) setting(ds, "info.CHUNKS_FILL_RATE");

      var compaction = new H2Compaction(ds);
      int passes = 0;
      while (compaction.compact() && passes < 1000) {
        passes++;
      }
      touch(ds); // the next commit drops the chunks that no longer hold anything live
      long after = setting(ds, "info.CHUNK_COUNT");

      assertThat(passes).isPositive();
      assertThat(before).isGreaterThan(100);
      assertThat(after).isLessThan(before / 10);
      assertThat(setting(ds, "info.CHUNKS_FILL_RATE")).isGreaterThan(fillBefore);
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement();
          var rs = st.executeQuery("SELECT COUNT(*), SUM(LENGTH(payload)) FROM filler")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(3000);
        assertThat(rs.getLong(2)).isEqualTo(300_000);
      }
    }
  }

  @Test
  void a_compact_store_is_left_alone() throws SQLException {
    try (var db = Database.open(new DatabaseConfig(Database.embeddedUrl(dir), "sa", "", 2))) {
      // only the schema's migrations: nothing is sparse enough yet, and nothing is old enough
      assertThat(new H2Compaction(db.dataSource()).compact()).isFalse();
    }
  }

  private static void touch(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS touched (id INT)");
      st.execute("INSERT INTO touched VALUES (1)");
    }
  }

  private static long setting(DataSource ds, String name) throws SQLException {
    try (Connection c = ds.getConnection();
        var ps =
            c.prepareStatement(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")) {
      ps.setString(1, name);
      try (var rs = ps.executeQuery()) {
        assertThat(rs.next()).as("H2 setting %s", name).isTrue();
        return Long.parseLong(rs.getString(1));
      }
    }
  }
}
