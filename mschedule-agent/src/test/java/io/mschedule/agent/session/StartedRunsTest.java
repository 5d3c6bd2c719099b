package io.mschedule.agent.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartedRunsTest {
  @TempDir Path dir;

  @Test
  void aMarkIsKeptUntilCleared() {
    StartedRuns runs = new StartedRuns(dir.resolve("running"));
    assertThat(runs.all()).isEmpty();

    runs.mark("t1");
    runs.mark("t-2.x_y");

    assertThat(runs.contains("t1")).isTrue();
    assertThat(runs.contains("t3")).isFalse();
    assertThat(runs.all()).containsExactlyInAnyOrder("t1", "t-2.x_y");

    runs.clear("t1");
    runs.clear("t1"); // clearing twice is harmless
    runs.clear("never-marked");

    assertThat(runs.contains("t1")).isFalse();
    assertThat(runs.all()).containsExactly("t-2.x_y");
  }

  @Test
  void marksOutliveTheAgent() {
    new StartedRuns(dir.resolve("running")).mark("t1");

    StartedRuns afterRestart = new StartedRuns(dir.resolve("running"));

    assertThat(afterRestart.contains("t1")).isTrue();
    assertThat(afterRestart.all()).containsExactly("t1");
  }

  @Test
  void markingTwiceKeepsOneMark() {
    StartedRuns runs = new StartedRuns(dir.resolve("running"));
    runs.mark("t1");
    runs.mark("t1");
    assertThat(runs.all()).containsExactly("t1");
  }

  @Test
  void anIdThatIsNoPlainFileNameIsRefusedWithoutTouchingTheDisk() throws Exception {
    StartedRuns runs = new StartedRuns(dir.resolve("running"));
    for (String bad : new String[] {"../escape", "a/b", "", "x".repeat(129), "sp ace"}) {
      assertThatThrownBy(() -> runs.mark(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("task id '" + bad + "'")
          .hasMessageContaining("not allowed");
    }
    assertThat(Files.exists(dir.resolve("escape"))).isFalse();
    try (var files = Files.list(dir.resolve("running"))) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aDirectoryThatCannotBeCreatedIsNamed() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertThatThrownBy(() -> new StartedRuns(file.resolve("running")))
        .hasMessageContaining("cannot create " + file.resolve("running"));
  }
}
