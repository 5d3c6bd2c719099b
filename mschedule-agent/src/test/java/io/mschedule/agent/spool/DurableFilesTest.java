package io.mschedule.agent.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {

  @TempDir Path dir;

  @Test
  void a_write_replaces_the_file_whole_and_leaves_no_temporary_file() throws IOException {
    Path target = dir.resolve("entry");
    DurableFiles.write(target, "first".getBytes(StandardCharsets.UTF_8));
    DurableFiles.write(target, "second, longer".getBytes(StandardCharsets.UTF_8));

    assertThat(target).hasContent("second, longer");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void a_failed_write_leaves_the_old_file_and_no_temporary_file() throws IOException {
    Path target = dir.resolve("entry");
    DurableFiles.write(target, "old".getBytes(StandardCharsets.UTF_8));
    Path blocker = dir.resolve("sub");
    Files.createDirectories(blocker.resolve("not-empty"));

    // Renaming a file over a non-empty directory fails after the temporary file was written.
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> DurableFiles.write(blocker, "new".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class);

    assertThat(target).hasContent("old");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactlyInAnyOrder(target, blocker);
    }
  }

  @Test
  void a_full_disk_is_named_in_the_reason() {
    assertThat(DurableFiles.describe(new IOException("No space left on device")))
        .isEqualTo("disk full: No space left on device");
    assertThat(DurableFiles.describe(new IOException("Disk quota exceeded")))
        .startsWith("disk full: ");
    assertThat(DurableFiles.describe(new java.nio.file.AccessDeniedException("/x")))
        .isEqualTo("AccessDeniedException: /x");
  }
}
