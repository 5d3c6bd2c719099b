package io.mschedule.it;

import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL primary with a synchronous streaming standby, from the embedded server's binaries
 * (the ones the store tests use): the primary is made by the embedded server, stopped cleanly,
 * copied to make the standby (a cold base backup), and both are started again from the command line
 * the primary recorded in {@code postmaster.opts}. The primary waits for the standby to have
 * written each commit ({@code synchronous_standby_names}), so a commit acknowledged before the
 * primary crashes is on the standby.
 */
final class StreamingPostgres implements AutoCloseable {
  private final EmbeddedPostgres embedded;
  private final Path log;
  private final List<String> command;
  private final Node primary;
  private final Node standby;

  /** One server: its data directory, port and process. */
  private static final class Node {
    final Path dataDir;
    final int port;
    ProcessHandle process;

    Node(Path dataDir, int port) {
      this.dataDir = dataDir;
      this.port = port;
    }
  }

  private StreamingPostgres(EmbeddedPostgres embedded, Path dir, Path log) throws IOException {
    this.embedded = embedded;
    this.log = log;
    this.primary = new Node(dir.resolve("primary"), embedded.getPort());
    this.standby = new Node(dir.resolve("standby"), Ports.free());
    this.command = RestartablePostgres.recordedCommand(primary.dataDir.resolve("postmaster.opts"));
  }

  /**
   * Starts the pair under {@code dir}, with a database {@code database}; logs go to {@code log}.
   */
  static StreamingPostgres start(Path dir, Path log, String database) {
    try {
      Files.createDirectories(log.getParent());
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir.resolve("primary"))
              .setCleanDataDirectory(true)
              .setServerConfig("fsync", "off")
              // the embedded server's default is off: a commit would not wait for the standby
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("wal_level", "replica")
              .setServerConfig("max_wal_senders", "4")
              .setServerConfig("hot_standby", "on")
              .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      StreamingPostgres pair = new StreamingPostgres(pg, dir, log);
      pair.createDatabase(database);
      pair.makeStandby();
      return pair;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }

  private void createDatabase(String name) {
    try (Connection c = connect(primary.port, "postgres");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
  }

  /** Stops the primary, copies it to the standby's directory, starts both, waits for streaming. */
  private void makeStandby() throws IOException {
    primary.process = RestartablePostgres.postmaster(primary.dataDir);
    signal(primary.process, "INT");
    copy(primary.dataDir, standby.dataDir);
    Files.deleteIfExists(standby.dataDir.resolve("postmaster.pid"));
    Files.writeString(standby.dataDir.resolve("standby.signal"), "");
    append(
        standby.dataDir,
        "primary_conninfo = 'host=127.0.0.1 port="
            + primary.port
            + " user=postgres application_name=standby'");
    append(primary.dataDir, "synchronous_standby_names = 'standby'");
    launch(primary);
    launch(standby);
    await("the standby streams synchronously from the primary")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> "sync".equals(syncState()));
  }

  /** The standby's replication state as the primary sees it, when commits wait for it. */
  private String syncState() throws SQLException {
    try (Connection c = connect(primary.port, "postgres");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby'"
                    + " AND current_setting('synchronous_commit') = 'on'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** A JDBC URL that lists both servers and connects to whichever is the primary. */
  String url(String database) {
    return "jdbc:postgresql://127.0.0.1:"
        + primary.port
        + ",127.0.0.1:"
        + standby.port
        + "/"
        + database
        + "?targetServerType=primary";
  }

  /** The standby's port. */
  int standbyPort() {
    return standby.port;
  }

  /** Crashes the primary: an immediate shutdown (SIGQUIT), no checkpoint, as a power cut would. */
  void crashPrimary() {
    signal(primary.process, "QUIT");
  }

  /** Promotes the standby to primary and waits until it accepts writes. */
  void promoteStandby() {
    try (Connection c = connect(standby.port, "postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_promote(true, 60)")) {
      if (!rs.next() || !rs.getBoolean(1)) {
        throw new IllegalStateException("the standby was not promoted");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot promote the standby", e);
    }
  }

  static Connection connect(int port, String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "");
  }

  private void launch(Node node) {
    List<String> cmd = new ArrayList<>(command);
    replaceArg(cmd, "-D", node.dataDir.toString());
    replaceArg(cmd, "-p", String.valueOf(node.port));
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(new File("/dev/null"))
              .start();
      node.process = p.toHandle();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start PostgreSQL in " + node.dataDir, e);
    }
    await("PostgreSQL on port " + node.port + " accepts connections")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              try (Connection c = connect(node.port, "postgres")) {
                return c.isValid(2);
              }
            });
  }

  private static void replaceArg(List<String> cmd, String flag, String value) {
    int i = cmd.indexOf(flag);
    if (i < 0 || i + 1 >= cmd.size()) {
      throw new IllegalStateException("no " + flag + " in the recorded command " + cmd);
    }
    cmd.set(i + 1, value);
  }

  private static void append(Path dataDir, String line) throws IOException {
    Files.writeString(
        dataDir.resolve("postgresql.auto.conf"),
        line + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** {@code cp -a}: keeps the modes PostgreSQL insists on (0700 data directory). */
  private static void copy(Path from, Path to) {
    run(List.of("cp", "-a", from.toString(), to.toString()));
  }

  private static void signal(ProcessHandle p, String name) {
    run(List.of("kill", "-" + name, String.valueOf(p.pid())));
    try {
      p.onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("PostgreSQL (pid " + p.pid() + ") did not stop", e);
    }
  }

  private static void run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).inheritIO().start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(cmd + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    for (Node n : List.of(primary, standby)) {
      if (n.process != null && n.process.isAlive()) {
        try {
          signal(n.process, "INT");
        } catch (RuntimeException e) {
          n.process.destroyForcibly();
        }
      }
    }
    try {
      embedded.close();
    } catch (IOException | RuntimeException e) {
      // the embedded server was stopped above
    }
  }
}
