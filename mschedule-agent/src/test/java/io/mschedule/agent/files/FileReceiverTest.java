package io.mschedule.agent.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.protocol.message.FileOrder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileReceiverTest {
  @TempDir Path dir;

  /** Serves pieces of {@code content} as the master would; counts the calls. */
  static final class Served implements ChunkSource {
    final byte[] content;
    final AtomicInteger calls = new AtomicInteger();
    int failFirst;

    Served(byte[] content) {
      this.content = content;
    }

    @Override
    public CompletableFuture<byte[]> fetch(String taskId, String sha256, long offset, int length) {
      calls.incrementAndGet();
      if (failFirst > 0) {
        failFirst--;
        return CompletableFuture.failedFuture(new IOException("connection lost"));
      }
      int from = (int) Math.min(offset, content.length);
      int to = (int) Math.min(offset + length, content.length);
      return CompletableFuture.completedFuture(Arrays.copyOfRange(content, from, to));
    }
  }

  static byte[] random(int size) {
    byte[] b = new byte[size];
    new Random(7).nextBytes(b);
    return b;
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void a_file_of_several_pieces_is_checked_and_renamed_into_place_with_its_mode() throws Exception {
    byte[] content = random(3 * FileReceiver.CHUNK + 17);
    Served source = new Served(content);
    Path dest = dir.resolve("app.bin");
    FileOrder order = new FileOrder(sha256(content), content.length, dest.toString(), "0600", null);

    FileReceiver.Outcome outcome =
        new FileReceiver(source, Duration.ofSeconds(5)).place("t1", order, dest, () -> false);

    assertThat(outcome).isEqualTo(FileReceiver.Outcome.COPIED);
    assertThat(Files.readAllBytes(dest)).isEqualTo(content);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)))
        .isEqualTo("rw-------");
    assertThat(source.calls).hasValue(4);
    try (var inDir = Files.list(dir)) {
      assertThat(inDir).containsExactly(dest);
    }
  }

  @Test
  void the_same_content_already_there_is_not_fetched_again() throws Exception {
    byte[] content = random(1000);
    Path dest = dir.resolve("app.bin");
    Files.write(dest, content);
    Served source = new Served(content);

    FileReceiver.Outcome outcome =
        new FileReceiver(source, Duration.ofSeconds(5))
            .place(
                "t1",
                new FileOrder(sha256(content), content.length, dest.toString(), null, null),
                dest,
                () -> false);

    assertThat(outcome).isEqualTo(FileReceiver.Outcome.UNCHANGED);
    assertThat(source.calls).hasValue(0);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void content_that_does_not_match_its_hash_leaves_the_old_file_and_no_temporary_one()
      throws Exception {
    byte[] content = random(1000);
    Path dest = dir.resolve("app.bin");
    Files.writeString(dest, "old");
    String wrong = "0".repeat(64);

    assertThatThrownBy(
            () ->
                new FileReceiver(new Served(content), Duration.ofSeconds(5))
                    .place(
                        "t1",
                        new FileOrder(wrong, content.length, dest.toString(), null, null),
                        dest,
                        () -> false))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("the order says " + wrong);

    assertThat(dest).hasContent("old");
    try (var inDir = Files.list(dir)) {
      assertThat(inDir).containsExactly(dest);
    }
  }

  @Test
  void a_lost_connection_is_retried_and_a_short_file_is_an_error() throws Exception {
    byte[] content = random(1000);
    Served flaky = new Served(content);
    flaky.failFirst = 2;
    Path dest = dir.resolve("a.bin");

    new FileReceiver(flaky, Duration.ofSeconds(5))
        .place(
            "t1",
            new FileOrder(sha256(content), content.length, dest.toString(), null, null),
            dest,
            () -> false);

    assertThat(Files.readAllBytes(dest)).isEqualTo(content);
    assertThatThrownBy(
            () ->
                new FileReceiver(new Served(content), Duration.ofSeconds(5))
                    .place(
                        "t1",
                        new FileOrder(
                            sha256(content), 2000, dir.resolve("b.bin").toString(), null, null),
                        dir.resolve("b.bin"),
                        () -> false))
        .hasMessageContaining("the master sent 1000 bytes at offset 0 instead of 2000");
  }

  @Test
  void a_refusal_is_not_retried_and_a_stop_ends_the_transfer() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ChunkSource refusing =
        (t, s, o, l) -> {
          calls.incrementAndGet();
          return CompletableFuture.failedFuture(new FetchRefusedException("no such run"));
        };
    Path dest = dir.resolve("a.bin");
    FileOrder order = new FileOrder("ab".repeat(32), 10, dest.toString(), null, null);

    assertThatThrownBy(
            () ->
                new FileReceiver(refusing, Duration.ofSeconds(5))
                    .place("t1", order, dest, () -> false))
        .hasMessage("the master refused the file: no such run");
    assertThat(calls).hasValue(1);

    ChunkSource never = (t, s, o, l) -> new CompletableFuture<>();
    assertThatThrownBy(
            () ->
                new FileReceiver(never, Duration.ofSeconds(5)).place("t1", order, dest, () -> true))
        .isInstanceOf(FileCancelledException.class);
    assertThat(dest).doesNotExist();
  }

  @Test
  void a_missing_directory_is_named() {
    Path dest = dir.resolve("nope").resolve("a.bin");
    assertThatThrownBy(
            () ->
                new FileReceiver(new Served(new byte[0]), Duration.ofSeconds(5))
                    .place(
                        "t1",
                        new FileOrder("ab".repeat(32), 0, dest.toString(), null, null),
                        dest,
                        () -> false))
        .hasMessage("directory " + dest.getParent() + " does not exist");
  }

  @Test
  void modes_are_octal_permission_bits() {
    assertThat(PosixFilePermissions.toString(FileModes.parse("0754"))).isEqualTo("rwxr-xr--");
    assertThat(PosixFilePermissions.toString(FileModes.parse("640"))).isEqualTo("rw-r-----");
    assertThatThrownBy(() -> FileModes.parse("0999")).hasMessageContaining("'0999'");
  }
}
