package io.mschedule.master.store.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/** The databases the store contract runs on. Each test gets a fresh, empty one. */
enum TestDatabase {
  /** An H2 file database in the test's temporary directory. */
  H2("h2") {
    @Override
    DatabaseConfig create(Path tempDir) {
      return new DatabaseConfig(Database.embeddedUrl(tempDir), "sa", "", 4);
    }
  },

  /** A new database in one embedded PostgreSQL server shared by the whole test JVM. */
  POSTGRES("postgresql") {
    @Override
    DatabaseConfig create(Path tempDir) {
      var server = SharedPostgres.server();
      var name = "mschedule_test_" + SharedPostgres.NEXT.incrementAndGet();
      try (var c = server.getPostgresDatabase().getConnection();
          var st = c.createStatement()) {
        st.execute("CREATE DATABASE " + name);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot create test database " + name, e);
      }
      return new DatabaseConfig(server.getJdbcUrl("postgres", name), "postgres", null, 4);
    }
  };

  /** The name of the dialect {@link Database} picks for this database. */
  final String dialect;

  TestDatabase(String dialect) {
    this.dialect = dialect;
  }

  /** A fresh empty database; the config opens the same database again. */
  abstract DatabaseConfig create(Path tempDir);

  /** Started on first use, stopped by its shutdown hook when the JVM exits. */
  private static final class SharedPostgres {
    static final AtomicInteger NEXT = new AtomicInteger();
    private static EmbeddedPostgres server;

    static synchronized EmbeddedPostgres server() {
      if (server == null) {
        try {
          server =
              EmbeddedPostgres.builder()
                  .setServerConfig("fsync", "off")
                  .setServerConfig("synchronous_commit", "off")
                  .setServerConfig("full_page_writes", "off")
                  .start();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
      }
      return server;
    }
  }
}
