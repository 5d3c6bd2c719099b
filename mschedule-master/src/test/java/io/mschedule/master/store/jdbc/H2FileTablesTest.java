package io.mschedule.master.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.store.FileRecord;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskFile;
import io.mschedule.master.task.TaskFiles;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tables {@code files} and {@code task_files} on H2. */
class H2FileTablesTest extends StoreContractSupport {
  static final String SHA = "ab".repeat(32);

  @Override
  TestDatabase testDatabase() {
    return TestDatabase.H2;
  }

  @Test
  void an_upload_is_recorded_once_with_its_first_name() {
    Instant at = Instant.ofEpochMilli(1_700_000_000_000L);
    db.fileCatalog().add(new FileRecord(SHA, "a.conf", 12, at, "ops"));
    db.fileCatalog().add(new FileRecord(SHA, "b.conf", 12, at.plusSeconds(5), "dev"));

    assertThat(db.fileCatalog().find(SHA)).contains(new FileRecord(SHA, "a.conf", 12, at, "ops"));
    assertThat(db.fileCatalog().find("cd".repeat(32))).isEmpty();
  }

  @Test
  void a_tasks_files_come_back_with_it_after_a_restart() {
    TaskFiles files =
        new TaskFiles(
            List.of(
                new TaskFile(SHA, "a.conf", 12, "/etc/a.conf", "0640", "root:adm"),
                new TaskFile(SHA, "a.conf", 12, "/etc/b.conf", null, null)),
            true);
    Task task = TestData.task("t1").withFiles(files);
    db.taskStore().insert(task, List.of(TestData.run("t1", "a1", 0)));

    reopen();

    assertThat(db.taskStore().findTask("t1").orElseThrow().files()).isEqualTo(files);
    assertThat(db.taskStore().unfinishedTasks())
        .singleElement()
        .extracting(Task::files)
        .isEqualTo(files);
    assertThat(db.taskStore().findTask("t1").orElseThrow().files().copy()).isTrue();
  }
}
