package io.mschedule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.cli.launch.MasterCommand;
import io.mschedule.master.config.MasterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mschedule master --config FILE}: the file's settings apply unless a flag is given. */
class MasterCommandConfigTest {
  @TempDir Path dir;

  @Test
  void data_dir_comes_from_the_config_file_when_no_flag_is_given() throws Exception {
    Path conf = dir.resolve("master.conf");
    Files.writeString(conf, "data-dir = /var/lib/mschedule/master\n");
    Cli cli = new Cli();
    cli.cl.parseArgs("master", "--config", conf.toString());
    MasterCommand master = cli.command("master");
    assertThat(master.settings()).containsEntry(MasterConfig.DATA_DIR, "/var/lib/mschedule/master");

    cli = new Cli();
    cli.cl.parseArgs("master", "--config", conf.toString(), "--data-dir", "/srv/m");
    master = cli.command("master");
    assertThat(master.settings()).containsEntry(MasterConfig.DATA_DIR, "/srv/m");
  }
}
