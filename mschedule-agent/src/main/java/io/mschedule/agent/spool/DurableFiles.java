package io.mschedule.agent.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writing small files so that a crash, a power cut or a full disk leaves either the old file or the
 * new one, never an empty or half-written one: the bytes go to a temporary file in the same
 * directory, which is flushed to disk ({@code fsync}) and renamed over the target ({@code
 * ATOMIC_MOVE}); then the directory is flushed so the rename itself survives a power cut.
 */
public final class DurableFiles {

  private static final Logger log = LoggerFactory.getLogger(DurableFiles.class);

  /** Prefix of the temporary files; names starting with it are never entries. */
  public static final String TEMP_PREFIX = ".tmp-";

  private DurableFiles() {}

  /**
   * Writes {@code bytes} to {@code target} atomically and durably. On failure (a full disk) the
   * target is unchanged and no temporary file is left.
   */
  public static void write(Path target, byte[] bytes) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, TEMP_PREFIX, ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(dir);
  }

  /** Removes the temporary files an interrupted {@link #write} left in {@code dir}. */
  public static void deleteTemps(Path dir) throws IOException {
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
      for (Path temp : temps) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * Flushes a directory, making renames and deletions in it durable. Not every platform can open a
   * directory; then they are as durable as the file system makes them.
   */
  public static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      log.debug("cannot sync directory {}: {}", dir, e.toString());
    }
  }

  /**
   * A short reason for a failed write, starting with {@code disk full: } when the file system is
   * full (or the quota is used up).
   */
  public static String describe(IOException e) {
    String message = String.valueOf(e.getMessage());
    String lower = message.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("no space left") || lower.contains("quota exceeded")) {
      return "disk full: " + message;
    }
    return e.getClass().getSimpleName() + ": " + message;
  }
}
