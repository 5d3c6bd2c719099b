package io.mschedule.it;

import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An embedded PostgreSQL server (the one the master's store tests use) that can be stopped and
 * started again on the same data directory and port: it is stopped with {@code SIGINT} to the
 * postmaster (PostgreSQL's fast shutdown) and started again with the command line it recorded in
 * {@code postmaster.opts}.
 */
final class RestartablePostgres implements AutoCloseable {
  private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final EmbeddedPostgres embedded;
  private final Path dataDir;
  private final List<String> command;
  private final Path log;
  private ProcessHandle server;

  private RestartablePostgres(EmbeddedPostgres embedded, Path dataDir, Path log)
      throws IOException {
    this.embedded = embedded;
    this.dataDir = dataDir;
    this.log = log;
    this.command = recordedCommand(dataDir.resolve("postmaster.opts"));
    this.server = postmaster(dataDir);
  }

  /** The running server: the pid on the first line of {@code postmaster.pid}. */
  static ProcessHandle postmaster(Path dataDir) throws IOException {
    long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    return ProcessHandle.of(pid)
        .orElseThrow(
            () -> new IllegalStateException("PostgreSQL (pid " + pid + ") is not running"));
  }

  /** Starts a server whose data lives in {@code dir}; its log goes to {@code log}. */
  static RestartablePostgres start(Path dir, Path log) {
    try {
      Files.createDirectories(log.getParent());
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir)
              .setCleanDataDirectory(true)
              .setServerConfig("fsync", "off")
              .setServerConfig("synchronous_commit", "off")
              .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      return new RestartablePostgres(pg, dir, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }

  /** The JDBC URL of a database, created here. */
  String createDatabase(String name) {
    try (Connection c = embedded.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return embedded.getJdbcUrl("postgres", name);
  }

  /** Fast shutdown: clients are disconnected, the server exits. */
  void stop() {
    try {
      Process k = new ProcessBuilder("kill", "-INT", String.valueOf(server.pid())).start();
      if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
        throw new IllegalStateException("kill -INT " + server.pid() + " failed");
      }
      server.onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("PostgreSQL did not stop", e);
    }
  }

  /** Starts the server again as it ran before, and waits until it accepts connections. */
  void restart() {
    try {
      Process restarted =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(new File("/dev/null"))
              .start();
      server = restarted.toHandle();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start PostgreSQL again", e);
    }
    await("PostgreSQL accepts connections again")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              try (Connection c =
                  DriverManager.getConnection(
                      embedded.getJdbcUrl("postgres", "postgres"), "postgres", "")) {
                return c.isValid(2);
              }
            });
  }

  /** The server's command line as it recorded it: the binary, then each quoted argument. */
  static List<String> recordedCommand(Path opts) throws IOException {
    String line = Files.readString(opts).strip();
    int firstQuote = line.indexOf('"');
    List<String> cmd = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      // PostgreSQL refuses to run as root: as the embedded server does, run it in a new user
      // namespace, where it is not
      cmd.addAll(List.of("unshare", "-U"));
    }
    cmd.add(line.substring(0, firstQuote).strip());
    Matcher m = QUOTED.matcher(line.substring(firstQuote));
    while (m.find()) {
      cmd.add(m.group(1).replace("\\\"", "\""));
    }
    return cmd;
  }

  @Override
  public void close() {
    // a server started again here is not the embedded one: stop whichever runs
    if (server.isAlive()) {
      try {
        stop();
      } catch (RuntimeException e) {
        server.destroyForcibly();
      }
    }
    try {
      embedded.close();
    } catch (IOException | RuntimeException e) {
      // the server is gone already
    }
  }

  @Override
  public String toString() {
    return "PostgreSQL in " + dataDir;
  }
}
