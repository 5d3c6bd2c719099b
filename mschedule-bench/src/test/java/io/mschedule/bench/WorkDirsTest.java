package io.mschedule.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkDirsTest {

  @Test
  void only_the_directories_made_since_the_listing_are_removed(@TempDir Path out) throws Exception {
    Path work = out.resolve("work");
    assertThat(WorkDirs.list(work)).isEmpty();
    Path kept = Files.createDirectories(work.resolve("scale-10-1"));
    var before = WorkDirs.list(work);

    Path made = Files.createDirectories(work.resolve("throughput-100-2/master/db"));
    Files.writeString(made.resolve("mschedule.mv.db"), "x".repeat(1000));
    Path jfr = Files.writeString(work.resolve("master-10-idle.jfr"), "recording");

    assertThat(WorkDirs.removeNew(work, before)).containsExactly(work.resolve("throughput-100-2"));
    assertThat(work.resolve("throughput-100-2")).doesNotExist();
    assertThat(kept).isDirectory();
    assertThat(jfr).hasContent("recording");
  }
}
