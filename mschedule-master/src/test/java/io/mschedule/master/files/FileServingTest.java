package io.mschedule.master.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskFile;
import io.mschedule.master.task.TaskFiles;
import io.mschedule.master.task.TaskState;
import io.mschedule.protocol.message.FetchFile;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileServingTest {
  static final String HELLO = FileStoreTest.HELLO;
  static final String OTHER = "0".repeat(64);

  @TempDir Path dir;

  private FileServing serving() throws Exception {
    FileStore store = new FileStore(dir);
    store.put(new ByteArrayInputStream("hello\n".getBytes(StandardCharsets.UTF_8)), 100);
    Task task =
        new Task(
                "t1",
                TaskState.RUNNING,
                null,
                "exit 1\n",
                List.of("all"),
                1,
                null,
                null,
                0,
                Instant.EPOCH,
                null,
                null,
                null)
            .withFiles(
                new TaskFiles(
                    List.of(new TaskFile(HELLO, "h.txt", 6, "/tmp/h", null, null)), true));
    return new FileServing(
        store,
        id -> id.equals("t1") ? Optional.of(task) : Optional.empty(),
        (taskId, agentId) -> taskId.equals("t1") && agentId.equals("a1"));
  }

  @Test
  void a_running_run_gets_pieces_of_its_tasks_file() throws Exception {
    assertThat(serving().fetch(new FetchFile("t1", "a1", HELLO, 1, 3)))
        .isEqualTo("ell".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void another_agent_another_file_or_a_bad_hash_is_refused() throws Exception {
    FileServing s = serving();

    assertThatThrownBy(() -> s.fetch(new FetchFile("t1", "a2", HELLO, 0, 3)))
        .isInstanceOf(FileServing.Refused.class)
        .hasMessageContaining("has no running run on agent a2");
    assertThatThrownBy(() -> s.fetch(new FetchFile("t1", "a1", OTHER, 0, 3)))
        .isInstanceOf(FileServing.Refused.class)
        .hasMessageContaining("has no file " + OTHER);
    assertThatThrownBy(() -> s.fetch(new FetchFile("t1", "a1", "../../etc/passwd", 0, 3)))
        .isInstanceOf(FileServing.Refused.class)
        .hasMessageContaining("sha256: expected 64 lower-case hex");
    assertThatThrownBy(() -> s.fetch(new FetchFile("t1", "a1", HELLO, -1, 3)))
        .isInstanceOf(FileServing.Refused.class)
        .hasMessageContaining("offset: must not be negative");
  }
}
