package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mschedule master backup}: online through the master, directly when none runs; restore. */
class BackupIT {
  @TempDir Path dir;

  @Test
  void backup_of_a_running_master_restores_into_a_fresh_data_dir() throws Exception {
    Path zip = dir.resolve("backups/mschedule.zip");
    Files.createDirectories(zip.getParent());
    String taskId;
    String token;
    try (Cluster c = Cluster.start(dir.resolve("cluster"), 1, 1)) {
      token = c.adminToken();
      taskId = c.submit(Map.of("targets", List.of("all"), "script", "echo kept-in-the-backup"));
      assertThat(c.awaitEnd(taskId, Duration.ofSeconds(30)).get("state").asText())
          .isEqualTo("SUCCEEDED");

      ProcessRun.Result r = backup(zip, c.masterDir(), c.httpPort);
      assertThat(r.exit()).as(r.output()).isZero();
      assertThat(r.output()).contains("of the running master at http://127.0.0.1:" + c.httpPort);
      assertThat(entries(zip)).containsExactly("mschedule.mv.db");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(zip)))
          .isEqualTo("rw-------");
      assertThat(c.master().alive()).isTrue();
    }

    // the restore procedure: a stopped master, the zip unpacked into DATA_DIR/db, start
    Path restored = dir.resolve("restored");
    unzip(zip, restored.resolve("db"));
    int httpPort = Ports.free();
    try (JavaProcess m =
        JavaProcess.start(
            dir.resolve("logs/restored.out"),
            List.of(
                "master",
                "--data-dir",
                restored.toString(),
                "--agent-bind",
                "tcp://127.0.0.1:" + Ports.free(),
                "--http-bind",
                "127.0.0.1:" + httpPort))) {
      Api api = new Api("http://127.0.0.1:" + httpPort);
      api.token(token); // API tokens are in the database: the old admin token works
      await("restored master API up")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> api.get("/api/v1/tasks/" + taskId).status() == 200);
      JsonNode task = api.ok("/api/v1/tasks/" + taskId);
      assertThat(task.get("state").asText()).isEqualTo("SUCCEEDED");
      assertThat(task.get("runs").get(0).get("output").asText()).contains("kept-in-the-backup");
      assertThat(api.ok("/api/v1/agents")).hasSize(1);
    }
  }

  @Test
  void without_a_running_master_the_database_is_read_directly() throws Exception {
    Path zip = dir.resolve("stopped.zip");
    Path masterDir;
    int httpPort;
    try (Cluster c = Cluster.start(dir.resolve("cluster"), 0, 1)) {
      masterDir = c.masterDir();
      httpPort = c.httpPort;
    }
    ProcessRun.Result r = backup(zip, masterDir, httpPort);
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("directly from " + masterDir.resolve("db"));
    assertThat(entries(zip)).containsExactly("mschedule.mv.db");

    ProcessRun.Result none = backup(dir.resolve("none.zip"), dir.resolve("nothing"), httpPort);
    assertThat(none.exit()).isEqualTo(1);
    assertThat(none.output()).contains("no master database in").doesNotContain("Exception");
    assertThat(dir.resolve("none.zip")).doesNotExist();
  }

  @Test
  void postgresql_is_backed_up_with_pg_dump() throws IOException {
    Path conf = dir.resolve("master.conf");
    Files.writeString(conf, "db-url = jdbc:postgresql://db.example:5432/mschedule\n");
    ProcessRun.Result r =
        ProcessRun.mschedule(
            List.of(
                "master", "backup", dir.resolve("pg.zip").toString(), "--config", conf.toString()),
            Map.of());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.output()).contains("pg_dump");
    assertThat(dir.resolve("pg.zip")).doesNotExist();
  }

  /** {@code mschedule master backup ZIP --config FILE} with the master's data dir and API port. */
  private ProcessRun.Result backup(Path zip, Path masterDir, int httpPort) throws IOException {
    Path conf = Files.createTempFile(dir, "master", ".conf");
    Files.writeString(
        conf, "data-dir = " + masterDir + "\nhttp-bind = 127.0.0.1:" + httpPort + "\n");
    return ProcessRun.mschedule(
        List.of("master", "backup", zip.toString(), "--config", conf.toString()), Map.of());
  }

  private static List<String> entries(Path zip) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      List<String> names = new java.util.ArrayList<>();
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
      }
      return names;
    }
  }

  private static void unzip(Path zip, Path into) throws IOException {
    Files.createDirectories(into);
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        Path f = into.resolve(e.getName()).normalize();
        assertThat(f.startsWith(into)).isTrue();
        Files.copy(in, f); // copies this entry only; the stream stays open
      }
    }
  }
}
