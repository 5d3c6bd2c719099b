package io.mschedule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.cli.launch.MasterBackupCommand;
import io.mschedule.master.config.MasterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mschedule master backup}: the cases decided before any database or master is reached. */
class MasterBackupCommandTest {
  @TempDir Path dir;

  @Test
  void postgresql_is_sent_to_pg_dump_with_exit_status_1() throws Exception {
    Path conf = dir.resolve("master.conf");
    Files.writeString(conf, "db-url = jdbc:postgresql://db.example:5432/mschedule\n");
    Cli cli = new Cli();
    int rc =
        cli.run("master", "backup", dir.resolve("b.zip").toString(), "--config", conf.toString());
    assertThat(rc).isEqualTo(1);
    assertThat(cli.err()).contains("pg_dump").doesNotContain("Exception");
    assertThat(dir.resolve("b.zip")).doesNotExist();
  }

  @Test
  void a_missing_target_directory_is_named() {
    Cli cli = new Cli();
    Path target = dir.resolve("no/such/dir/b.zip");
    int rc = cli.run("master", "backup", target.toString(), "--data-dir", dir.toString());
    assertThat(rc).isEqualTo(1);
    assertThat(cli.err()).contains("does not exist", target.getParent().toString());
  }

  @Test
  void a_bad_setting_in_the_config_file_is_named_without_a_stack_trace() throws Exception {
    Path conf = dir.resolve("master.conf");
    Files.writeString(conf, "http-bind = nowhere\n");
    Cli cli = new Cli();
    int rc =
        cli.run("master", "backup", dir.resolve("b.zip").toString(), "--config", conf.toString());
    assertThat(rc).isEqualTo(1);
    assertThat(cli.err()).contains("http-bind").doesNotContain("\tat ");
  }

  @Test
  void the_api_is_reached_where_the_master_listens() {
    assertThat(MasterBackupCommand.apiUrl(config("0.0.0.0:8080", Map.of())))
        .isEqualTo("http://127.0.0.1:8080");
    assertThat(MasterBackupCommand.apiUrl(config("10.1.2.3:9000", Map.of())))
        .isEqualTo("http://10.1.2.3:9000");
  }

  private MasterConfig config(String httpBind, Map<String, String> more) {
    Map<String, String> s = new java.util.HashMap<>(more);
    s.put(MasterConfig.DATA_DIR, dir.toString());
    s.put(MasterConfig.HTTP_BIND, httpBind);
    return MasterConfig.from(s);
  }
}
