package io.mschedule.agent.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.agent.runner.RunKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run markers: written whole or not at all, and damaged ones never stop the agent. */
class StartedRunsTest {

  @TempDir Path dataDir;

  private Path running() {
    return dataDir.resolve("running");
  }

  private String[] names(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return new String[0];
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  @Test
  void marks_survive_a_restart_and_go_away_when_cleared() throws IOException {
    var runs = new StartedRuns(running());
    runs.mark("t1");
    runs.mark("t2");
    runs.clear("t1");

    var reopened = new StartedRuns(running());

    assertThat(reopened.all()).containsExactly("t2");
    assertThat(reopened.contains("t2")).isTrue();
    assertThat(reopened.contains("t1")).isFalse();
    assertThat(names(running())).containsExactly("t2");
  }

  @Test
  void a_retry_is_marked_apart_from_the_first_attempt() throws IOException {
    var runs = new StartedRuns(running());
    runs.mark("t1");
    runs.mark(RunKeys.of("t1", 2));
    runs.clear("t1");

    assertThat(runs.contains("t1")).isFalse();
    assertThat(new StartedRuns(running()).all()).containsExactly("t1#2");
  }

  @Test
  void any_task_id_can_be_marked_and_is_never_used_as_a_path() throws IOException {
    var runs = new StartedRuns(running());
    String[] ids = {"../../etc/passwd", "..", ".", "a/b", "with space", "ünï", "x".repeat(300)};
    for (String id : ids) {
      runs.mark(id);
    }

    assertThat(new StartedRuns(running()).all()).containsExactlyInAnyOrder(ids);
    assertThat(names(running())).allMatch(n -> n.startsWith("~")).hasSize(ids.length);
    assertThat(names(dataDir)).containsExactly("running");
  }

  @Test
  void empty_truncated_and_foreign_markers_are_quarantined_and_still_reported() throws IOException {
    var runs = new StartedRuns(running());
    runs.mark("good");
    runs.mark("a/b");
    Files.write(running().resolve("empty-one"), new byte[0]);
    Files.writeString(running().resolve("cut-one"), "cut-o");
    Files.writeString(running().resolve("other-name"), "someone-else");
    Path hashed;
    try (Stream<Path> files = Files.list(running())) {
      hashed = files.filter(p -> p.getFileName().toString().startsWith("~")).findFirst().get();
    }
    Files.write(hashed, "a/".getBytes(StandardCharsets.UTF_8)); // truncated, name is a hash

    var reopened = new StartedRuns(running());

    assertThat(reopened.all())
        .as("a marker named after a plain task id is still reported")
        .containsExactlyInAnyOrder("good", "empty-one", "cut-one", "other-name");
    assertThat(names(running())).containsExactly("good");
    assertThat(names(dataDir.resolve("quarantine/running")))
        .containsExactlyInAnyOrder(
            "empty-one", "cut-one", "other-name", hashed.getFileName().toString());
  }

  @Test
  void a_marker_quarantined_twice_keeps_both_copies() throws IOException {
    Files.createDirectories(running());
    Files.write(running().resolve("t1"), new byte[0]);
    new StartedRuns(running()).all();
    Files.write(running().resolve("t1"), new byte[0]);

    assertThat(new StartedRuns(running()).all()).containsExactly("t1");

    assertThat(names(dataDir.resolve("quarantine/running"))).containsExactly("t1", "t1.1");
  }

  @Test
  void temporary_files_of_an_interrupted_write_are_removed_and_never_read_as_markers()
      throws IOException {
    Files.createDirectories(running());
    Files.write(running().resolve(".tmp-123.tmp"), new byte[0]);

    var runs = new StartedRuns(running());

    assertThat(runs.all()).isEmpty();
    assertThat(names(running())).isEmpty();
  }

  @Test
  void markers_of_the_earlier_format_are_read() throws IOException {
    Files.createDirectories(running());
    Files.writeString(running().resolve("old-task"), "old-task");

    assertThat(new StartedRuns(running()).all()).containsExactly("old-task");
  }
}
