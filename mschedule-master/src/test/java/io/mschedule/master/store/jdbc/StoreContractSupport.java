package io.mschedule.master.store.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Opens a fresh database of the subclass's kind before each test and closes it after. */
abstract class StoreContractSupport {
  @TempDir Path tempDir;
  DatabaseConfig config;
  Database db;

  /** The database this subclass runs the contract on. */
  abstract TestDatabase testDatabase();

  @BeforeEach
  void openDatabase() {
    config = freshDatabase();
    db = Database.open(config);
  }

  /** The database each test opens: migrated already, so that opening it only checks it. */
  DatabaseConfig freshDatabase() {
    return testDatabase().createMigrated(tempDir);
  }

  @AfterEach
  void closeDatabase() {
    db.close();
  }

  /** Closes the database and opens it again, as a master restart does. */
  void reopen() {
    db.close();
    db = Database.open(config);
  }
}
