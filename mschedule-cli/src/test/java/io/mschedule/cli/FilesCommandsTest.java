package io.mschedule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cp} and {@code run --file}: argument checks that need no master. */
class FilesCommandsTest {

  @Test
  void a_file_argument_names_the_file_in_the_work_directory() {
    assertThat(FileArg.parse("/tmp/app.tar.gz"))
        .isEqualTo(new FileArg(Path.of("/tmp/app.tar.gz"), "app.tar.gz"));
    assertThat(FileArg.parse("build/app.jar:app.jar"))
        .isEqualTo(new FileArg(Path.of("build/app.jar"), "app.jar"));
    for (String bad : List.of("a:b/c", "a:..", "a:", ":x", "a:.mschedule-script")) {
      assertThat(FileArg.parse(bad)).as(bad).isNull();
    }
  }

  @Test
  void a_file_argument_keeps_the_local_permission_bits(@TempDir Path dir) throws Exception {
    Path tool = dir.resolve("tool.sh");
    Files.writeString(tool, "echo hi\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-x---"));

    assertThat(FileArg.modeOf(tool)).isEqualTo("0750");
  }

  @Test
  void run_file_with_a_bad_or_repeated_name_is_a_usage_error() {
    Cli cli = new Cli();
    assertThat(cli.run("run", "--file", "a:x/y", "-c", "true")).isEqualTo(1);
    assertThat(cli.err()).contains("--file a:x/y: expected SRC or SRC:NAME");

    Cli again = new Cli();
    assertThat(again.run("run", "--file", "a:n", "--file", "b:n", "-c", "true")).isEqualTo(1);
    assertThat(again.err()).contains("two files are named 'n'");
  }

  @Test
  void cp_checks_dest_mode_and_owner_before_contacting_the_master() {
    Cli relative = new Cli();
    assertThat(relative.run("cp", "a.conf", "etc/a.conf")).isEqualTo(1);
    assertThat(relative.err()).contains("DEST must be an absolute path on the hosts");

    Cli mode = new Cli();
    assertThat(mode.run("cp", "a.conf", "/etc/a.conf", "--mode", "rw")).isEqualTo(1);
    assertThat(mode.err()).contains("--mode must be octal permission bits like 0644, got 'rw'");

    Cli owner = new Cli();
    assertThat(owner.run("cp", "a.conf", "/etc/a.conf", "--owner", "a:b:c")).isEqualTo(1);
    assertThat(owner.err()).contains("--owner must be USER or USER:GROUP");
  }

  @Test
  void cp_into_a_directory_keeps_the_source_name() {
    Cli cli = new Cli();
    cli.cl.parseArgs("cp", "build/app.jar", "/opt/app/");
    CpCommand cp = cli.command("cp");
    assertThat(cp.destination()).isEqualTo("/opt/app/app.jar");
  }
}
