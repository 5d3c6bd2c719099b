package io.mschedule.master.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.master.store.FileCatalog;
import io.mschedule.master.store.FileRecord;
import io.mschedule.master.task.BadRequestException;
import io.mschedule.master.task.FileRequest;
import io.mschedule.master.task.TaskFile;
import io.mschedule.master.task.TaskFiles;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskFileRulesTest {
  static final String SHA = "ab".repeat(32);

  /** A catalog that knows one file. */
  static final FileCatalog CATALOG =
      new FileCatalog() {
        @Override
        public void add(FileRecord file) {}

        @Override
        public Optional<FileRecord> find(String sha256) {
          return SHA.equals(sha256)
              ? Optional.of(new FileRecord(SHA, "app.conf", 12, Instant.EPOCH, null))
              : Optional.empty();
        }
      };

  final TaskFileRules rules = new TaskFileRules(CATALOG, sha -> true);

  @Test
  void a_copy_file_takes_its_name_and_size_from_the_upload() {
    TaskFiles f =
        rules.resolve(List.of(new FileRequest(SHA, "/etc/app.conf", "640", "root:adm")), true);

    assertThat(f.copy()).isTrue();
    assertThat(f.files())
        .containsExactly(new TaskFile(SHA, "app.conf", 12, "/etc/app.conf", "0640", "root:adm"));
  }

  @Test
  void copy_destinations_are_absolute_file_paths() {
    for (String dest : List.of("etc/app.conf", "/etc/", "/etc/../x", "/etc//x", "/a/./b")) {
      assertThatThrownBy(() -> rules.resolve(List.of(new FileRequest(SHA, dest, null, null)), true))
          .as(dest)
          .isInstanceOf(BadRequestException.class)
          .hasMessageStartingWith("files[0].dest: ");
    }
  }

  @Test
  void script_files_are_plain_names_in_the_work_directory() {
    assertThat(rules.resolve(List.of(new FileRequest(SHA, "data.bin", null, null)), false).files())
        .extracting(TaskFile::dest)
        .containsExactly("data.bin");
    for (String dest : List.of("a/b", "..", ".mschedule-script", "/abs")) {
      assertThatThrownBy(
              () -> rules.resolve(List.of(new FileRequest(SHA, dest, null, null)), false))
          .as(dest)
          .isInstanceOf(BadRequestException.class)
          .hasMessageContaining("must be a plain file name");
    }
  }

  @Test
  void unknown_files_bad_modes_owners_and_duplicates_are_refused_naming_the_field() {
    assertThatThrownBy(
            () -> rules.resolve(List.of(new FileRequest("cd".repeat(32), "/x", null, null)), true))
        .hasMessageContaining("files[0].sha256: no file cdcd")
        .hasMessageContaining("upload it first");
    assertThatThrownBy(() -> rules.resolve(List.of(new FileRequest("XYZ", "/x", null, null)), true))
        .hasMessage("files[0].sha256: expected 64 lower-case hex characters");
    assertThatThrownBy(() -> rules.resolve(List.of(new FileRequest(SHA, "/x", "0999", null)), true))
        .hasMessageContaining("files[0].mode: '0999' is not octal");
    assertThatThrownBy(
            () -> rules.resolve(List.of(new FileRequest(SHA, "/x", null, "a:b:c")), true))
        .hasMessageContaining("files[0].owner: 'a:b:c' is not USER or USER:GROUP");
    assertThatThrownBy(
            () ->
                rules.resolve(
                    List.of(
                        new FileRequest(SHA, "/x", null, null),
                        new FileRequest(SHA, "/x", null, null)),
                    true))
        .hasMessageContaining("files[1].dest: '/x' is listed twice");
    assertThatThrownBy(() -> rules.resolve(List.of(), true))
        .hasMessageContaining("a copy task needs at least one file");
    assertThatThrownBy(
            () ->
                TaskFileRules.none().resolve(List.of(new FileRequest(SHA, "/x", null, null)), true))
        .hasMessageContaining("this master does not store files");
  }

  @Test
  void a_file_recorded_but_missing_from_disk_is_unknown() {
    TaskFileRules gone = new TaskFileRules(CATALOG, sha -> false);

    assertThatThrownBy(() -> gone.resolve(List.of(new FileRequest(SHA, "/x", null, null)), true))
        .hasMessageContaining("no file " + SHA);
  }
}
