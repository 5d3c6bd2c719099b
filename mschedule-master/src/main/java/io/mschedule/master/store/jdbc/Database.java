package io.mschedule.master.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mschedule.master.store.AgentStore;
import io.mschedule.master.store.FileCatalog;
import io.mschedule.master.store.JobStore;
import io.mschedule.master.store.KeyStore;
import io.mschedule.master.store.LeaseStore;
import io.mschedule.master.store.LiveOutputStore;
import io.mschedule.master.store.MasterStore;
import io.mschedule.master.store.RunOrderStore;
import io.mschedule.master.store.ScheduleStore;
import io.mschedule.master.store.TaskStore;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's database: a connection pool over a migrated schema, and the stores on top of it.
 * {@link #open} migrates the schema to the latest version; reopening an up-to-date database changes
 * nothing.
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  static final String COMMON_MIGRATIONS = "classpath:db/migration/common";

  private final Dialect dialect;

  /** The longest wait for a pooled connection. */
  static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  private final HikariDataSource dataSource;
  private final JdbcAgentStore agentStore;
  private final JdbcTaskStore taskStore;
  private final JdbcFileCatalog fileCatalog;
  private final JdbcFileBlobStore fileBlobs;
  private final JdbcKeyStore keyStore;
  private final JdbcJobStore jobStore;
  private final JdbcScheduleStore scheduleStore;
  private final JdbcLeaseStore leaseStore;
  private final JdbcMasterStore masterStore;
  private final JdbcRunOrderStore runOrderStore;
  private final JdbcLiveOutputStore liveOutputStore;
  private final JdbcRelayStore relayStore;

  private Database(Dialect dialect, HikariDataSource dataSource) {
    this.dialect = dialect;
    this.dataSource = dataSource;
    var jdbc = new JdbcRunner(dataSource);
    this.agentStore = new JdbcAgentStore(jdbc, dialect);
    this.taskStore = new JdbcTaskStore(jdbc, dialect);
    this.leaseStore = new JdbcLeaseStore(jdbc, dialect);
    this.masterStore = new JdbcMasterStore(jdbc, dialect);
    this.runOrderStore = new JdbcRunOrderStore(jdbc, dialect);
    this.liveOutputStore = new JdbcLiveOutputStore(jdbc, dialect);
    this.relayStore = new JdbcRelayStore(jdbc);
    this.fileCatalog = new JdbcFileCatalog(jdbc);
    this.fileBlobs = new JdbcFileBlobStore(jdbc);
    this.keyStore = new JdbcKeyStore(jdbc);
    this.jobStore = new JdbcJobStore(jdbc);
    this.scheduleStore = new JdbcScheduleStore(jdbc);
  }

  /**
   * Connects, migrates the schema and returns the database.
   *
   * @throws IllegalArgumentException when the URL names no supported database
   */
  public static Database open(DatabaseConfig config) {
    var dialect = Dialect.forUrl(config.url());
    var dataSource = new HikariDataSource(hikariConfig(config));
    try {
      migrate(dataSource, dialect);
      return new Database(dialect, dataSource);
    } catch (RuntimeException | Error e) {
      dataSource.close();
      throw e;
    }
  }

  /**
   * The URL of the default embedded database, a H2 file {@code mschedule.mv.db} in {@code dataDir}.
   * The master closes it on shutdown itself ({@code DB_CLOSE_ON_EXIT=FALSE}), after its last write.
   */
  public static String embeddedUrl(Path dataDir) {
    var file = dataDir.toAbsolutePath().resolve("mschedule").toString();
    if (file.contains(";")) {
      throw new IllegalArgumentException("data directory must not contain ';': " + dataDir);
    }
    // WRITE_DELAY=0: every commit reaches the file at once, so a kill -9 loses nothing that
    // was acknowledged (H2 otherwise writes commits up to a second later).
    return "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;WRITE_DELAY=0";
  }

  public AgentStore agentStore() {
    return agentStore;
  }

  public KeyStore keyStore() {
    return keyStore;
  }

  public JobStore jobStore() {
    return jobStore;
  }

  public ScheduleStore scheduleStore() {
    return scheduleStore;
  }

  public LeaseStore leaseStore() {
    return leaseStore;
  }

  public MasterStore masterStore() {
    return masterStore;
  }

  /** Orders between masters sharing this database. */
  public RunOrderStore runOrderStore() {
    return runOrderStore;
  }

  /** Live output shared by masters on this database. */
  public LiveOutputStore liveOutputStore() {
    return liveOutputStore;
  }

  public io.mschedule.master.store.RelayStore relayStore() {
    return relayStore;
  }

  public TaskStore taskStore() {
    return taskStore;
  }

  public FileCatalog fileCatalog() {
    return fileCatalog;
  }

  /** File contents shared by masters on this database. */
  public io.mschedule.master.store.FileBlobStore fileBlobs() {
    return fileBlobs;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** Closes the pool; an embedded H2 database is closed with its last connection. */
  @Override
  public void close() {
    dataSource.close();
  }

  /** How long PostgreSQL lets a session sit in an open transaction without a statement. */
  static final java.time.Duration IDLE_IN_TRANSACTION = java.time.Duration.ofSeconds(10);

  private static HikariConfig hikariConfig(DatabaseConfig config) {
    var hikari = new HikariConfig();
    hikari.setPoolName("mschedule-db");
    hikari.setJdbcUrl(config.url());
    hikari.setUsername(config.user());
    hikari.setPassword(config.password());
    hikari.setMaximumPoolSize(config.maxPoolSize());
    // a database that is down fails a call after this long (API: 503) instead of Hikari's 30 s,
    // which would outlast the clients' own timeouts and hold the master's loops
    hikari.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    if (config.url().startsWith("jdbc:postgresql:")) {
      // a master paused in the middle of a transaction (kill -STOP, a VM freeze) would hold its
      // row locks, a task's lease among them, and the master taking its tasks over would wait on
      // them for ever: PostgreSQL ends such a session after this long, releasing its locks
      hikari.setConnectionInitSql(
          "SET idle_in_transaction_session_timeout = '" + IDLE_IN_TRANSACTION.toMillis() + "ms'");
    }
    return hikari;
  }

  private static void migrate(DataSource dataSource, Dialect dialect) {
    var result =
        Flyway.configure()
            .dataSource(dataSource)
            .locations(COMMON_MIGRATIONS, dialect.migrationLocation())
            .validateMigrationNaming(true)
            .load()
            .migrate();
    if (result.migrationsExecuted > 0) {
      LOG.info("database schema ({}) migrated to version {}", dialect, result.targetSchemaVersion);
    }
  }
}
