package io.mschedule.master.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreTest {
  // SHA-256 of "hello\n"
  static final String HELLO = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

  @TempDir Path dir;

  @Test
  void an_upload_is_stored_by_its_sha256_and_read_back_in_pieces() throws Exception {
    FileStore store = new FileStore(dir);

    FileStore.Stored s = store.put(stream("hello\n"), 1000);

    assertThat(s).isEqualTo(new FileStore.Stored(HELLO, 6));
    assertThat(dir.resolve("58").resolve(HELLO)).hasContent("hello");
    assertThat(store.has(HELLO)).isTrue();
    assertThat(store.read(HELLO, 0, 2)).isEqualTo("he".getBytes(StandardCharsets.UTF_8));
    assertThat(store.read(HELLO, 4, 100)).isEqualTo("o\n".getBytes(StandardCharsets.UTF_8));
    assertThat(store.read(HELLO, 6, 100)).isEmpty();
    assertThat(store.read(HELLO, 600, 100)).isEmpty();
  }

  @Test
  void the_same_content_twice_is_one_file_and_no_temporary_file_stays() throws Exception {
    FileStore store = new FileStore(dir);

    store.put(stream("hello\n"), 1000);
    store.put(stream("hello\n"), 1000);

    try (var files = Files.list(dir.resolve("58"))) {
      assertThat(files).hasSize(1);
    }
    try (var tmp = Files.list(dir.resolve("tmp"))) {
      assertThat(tmp).isEmpty();
    }
  }

  @Test
  void an_upload_over_the_limit_is_refused_and_nothing_is_kept() throws Exception {
    FileStore store = new FileStore(dir);

    assertThatThrownBy(() -> store.put(stream("hello\n"), 5))
        .isInstanceOf(FileStore.TooLargeException.class)
        .hasMessageContaining("limit of 5 bytes");

    assertThat(store.has(HELLO)).isFalse();
    try (var tmp = Files.list(dir.resolve("tmp"))) {
      assertThat(tmp).isEmpty();
    }
  }

  @Test
  void only_a_lower_case_sha256_names_a_file() {
    FileStore store = new FileStore(dir);

    assertThat(FileStore.isSha256(HELLO)).isTrue();
    assertThat(FileStore.isSha256(HELLO.toUpperCase())).isFalse();
    assertThat(FileStore.isSha256("../../etc/passwd")).isFalse();
    assertThat(store.has("../../etc/passwd")).isFalse();
    assertThatThrownBy(() -> store.read("../" + HELLO.substring(3), 0, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static ByteArrayInputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }
}
