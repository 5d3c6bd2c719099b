package io.mschedule.master.store.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The databases the store contract runs on. Each test gets a fresh one: empty, or with the schema
 * copied from a database migrated once per test JVM (as {@link Database#open} leaves it), which
 * spares each test the migrations. Tests of other parts that need a database take {@link
 * #migratedH2}.
 */
public enum TestDatabase {
  /** An H2 file database in the test's temporary directory. */
  H2("h2") {
    @Override
    DatabaseConfig create(Path tempDir) {
      return new DatabaseConfig(Database.embeddedUrl(tempDir), "sa", "", 4);
    }

    @Override
    DatabaseConfig createMigrated(Path tempDir) {
      try {
        Files.copy(MigratedH2.file(), tempDir.resolve(MigratedH2.FILE));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot copy the migrated H2 database", e);
      }
      return create(tempDir);
    }
  },

  /** A new database in one embedded PostgreSQL server shared by the whole test JVM. */
  POSTGRES("postgresql") {
    @Override
    DatabaseConfig create(Path tempDir) {
      return SharedPostgres.create("");
    }

    @Override
    DatabaseConfig createMigrated(Path tempDir) {
      return SharedPostgres.create(" TEMPLATE " + SharedPostgres.template());
    }
  };

  /**
   * A fresh H2 database in {@code dir} (created if missing) whose schema is migrated already:
   * {@link Database#open} on it only validates the migrations.
   */
  public static DatabaseConfig migratedH2(Path dir, int maxPoolSize) {
    try {
      DatabaseConfig c = H2.createMigrated(Files.createDirectories(dir));
      return new DatabaseConfig(c.url(), c.user(), c.password(), maxPoolSize);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The name of the dialect {@link Database} picks for this database. */
  final String dialect;

  TestDatabase(String dialect) {
    this.dialect = dialect;
  }

  /** A fresh empty database; the config opens the same database again. */
  abstract DatabaseConfig create(Path tempDir);

  /** A fresh database whose schema is migrated; the config opens the same database again. */
  abstract DatabaseConfig createMigrated(Path tempDir);

  /** An H2 database migrated once per test JVM, copied by {@link #createMigrated}. */
  private static final class MigratedH2 {
    static final String FILE = "mschedule.mv.db";
    private static Path file;

    static synchronized Path file() throws IOException {
      if (file == null) {
        Path dir = Files.createTempDirectory("mschedule-h2-template");
        dir.toFile().deleteOnExit(); // before its file: the JVM deletes in the reverse order
        Database.open(H2.create(dir)).close();
        file = dir.resolve(FILE);
        file.toFile().deleteOnExit();
      }
      return file;
    }
  }

  /** Started on first use, stopped by its shutdown hook when the JVM exits. */
  private static final class SharedPostgres {
    static final AtomicInteger NEXT = new AtomicInteger();
    private static EmbeddedPostgres server;
    private static final String TEMPLATE = "mschedule_template";
    private static boolean templateMigrated;

    /** A new database, created with {@code options} ({@code CREATE DATABASE name options}). */
    static DatabaseConfig create(String options) {
      return create("mschedule_test_" + NEXT.incrementAndGet(), options);
    }

    private static DatabaseConfig create(String name, String options) {
      try (var c = server().getPostgresDatabase().getConnection();
          var st = c.createStatement()) {
        st.execute("CREATE DATABASE " + name + options);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot create test database " + name, e);
      }
      return new DatabaseConfig(server().getJdbcUrl("postgres", name), "postgres", null, 4);
    }

    /** The migrated database the others copy; no connection to it stays open. */
    static synchronized String template() {
      if (!templateMigrated) {
        Database.open(create(TEMPLATE, "")).close();
        templateMigrated = true;
      }
      return TEMPLATE;
    }

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
