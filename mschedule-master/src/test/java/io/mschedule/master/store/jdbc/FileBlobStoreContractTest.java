package io.mschedule.master.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.files.FileStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** File contents shared through the database by masters with stores of their own. */
abstract class FileBlobStoreContractTest extends StoreContractSupport {

  @Test
  void a_file_taken_by_one_master_is_read_by_another_from_the_database() throws Exception {
    byte[] content = new byte[2 * JdbcFileBlobStore.CHUNK + 12_345]; // three chunks
    new Random(7).nextBytes(content);
    FileStore first = new FileStore(tempDir.resolve("m1"), db.fileBlobs());
    FileStore second = new FileStore(tempDir.resolve("m2"), db.fileBlobs());

    FileStore.Stored stored = first.put(new ByteArrayInputStream(content), Long.MAX_VALUE);
    first.put(new ByteArrayInputStream(content), Long.MAX_VALUE); // again: stored once

    assertThat(second.has(stored.sha256())).isTrue();
    assertThat(second.read(stored.sha256(), JdbcFileBlobStore.CHUNK - 10, 20))
        .isEqualTo(
            java.util.Arrays.copyOfRange(
                content, JdbcFileBlobStore.CHUNK - 10, JdbcFileBlobStore.CHUNK + 10));
    try (InputStream in = db.fileBlobs().open(stored.sha256()).orElseThrow()) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    Path local =
        tempDir.resolve("m2").resolve(stored.sha256().substring(0, 2)).resolve(stored.sha256());
    assertThat(Files.readAllBytes(local)).isEqualTo(content); // now kept by the second too

    String unknown = "ab".repeat(32);
    assertThat(db.fileBlobs().open(unknown)).isEmpty();
    assertThat(second.has(unknown)).isFalse();
    assertThat(new FileStore(tempDir.resolve("m3")).has(stored.sha256())).isFalse(); // not shared
  }

  @Test
  void an_empty_file_and_one_of_exactly_one_chunk_come_back_whole() throws Exception {
    for (int size : new int[] {0, JdbcFileBlobStore.CHUNK}) {
      byte[] content = new byte[size];
      new Random(size).nextBytes(content);
      Path file = Files.write(tempDir.resolve("f" + size), content);
      String sha = "%064x".formatted(size + 1L);
      db.fileBlobs().put(sha, file);
      try (InputStream in = db.fileBlobs().open(sha).orElseThrow()) {
        assertThat(in.readAllBytes()).isEqualTo(content);
      }
    }
  }
}
