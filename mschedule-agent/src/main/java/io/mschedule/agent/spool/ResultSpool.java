package io.mschedule.agent.spool;

import io.mschedule.agent.runner.RunResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps run results on disk until the master has acknowledged them, so no result is lost when the
 * agent loses its connection or restarts.
 *
 * <p>One file per task id in the spool directory, written atomically: the entry goes to a temporary
 * file that is flushed to disk and then renamed over the final name ({@code ATOMIC_MOVE}), so a
 * crash leaves either the old entry or the new one, never half of one. A file that cannot be read
 * back is moved aside as {@code <name>.bad} with a log line, and the spool carries on. Thread-safe.
 */
public final class ResultSpool {

  private static final Logger log = LoggerFactory.getLogger(ResultSpool.class);

  static final String SUFFIX = ".result";
  static final String BAD_SUFFIX = ".bad";
  static final String TEMP_PREFIX = ".tmp-";
  private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  private final Path dir;
  private long nextSeq; // guarded by this

  /**
   * Opens (and creates if needed) the spool in {@code dir}. Left-over temporary files of an
   * interrupted save are removed.
   */
  public ResultSpool(Path dir) throws IOException {
    this.dir = Objects.requireNonNull(dir, "dir");
    Files.createDirectories(dir);
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
      for (Path temp : temps) {
        Files.deleteIfExists(temp);
      }
    }
    long maxSeq = -1;
    for (ResultCodec.Entry entry : readAll()) {
      maxSeq = Math.max(maxSeq, entry.seq());
    }
    this.nextSeq = maxSeq + 1;
  }

  /** The spool directory. */
  public Path dir() {
    return dir;
  }

  /** Saves a result, replacing any saved result of the same task id. Durable once it returns. */
  public synchronized void save(RunResult result) throws IOException {
    Objects.requireNonNull(result, "result");
    byte[] bytes = ResultCodec.encode(nextSeq, result);
    Path target = fileFor(result.taskId());
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
    syncDirectory();
    nextSeq++;
  }

  /** The saved results, oldest save first. Unreadable files are moved aside. */
  public synchronized List<RunResult> pending() throws IOException {
    List<RunResult> results = new ArrayList<>();
    for (ResultCodec.Entry entry : readAll()) {
      results.add(entry.result());
    }
    return results;
  }

  /**
   * Forgets the saved result of a task (once the master has acknowledged it).
   *
   * @return true when there was one
   */
  public synchronized boolean remove(String taskId) throws IOException {
    return Files.deleteIfExists(fileFor(taskId));
  }

  /** The file that holds the result of a task. Task ids are not trusted as file names. */
  Path fileFor(String taskId) {
    if (PLAIN_ID.matcher(taskId).matches()) {
      return dir.resolve("t-" + taskId + SUFFIX);
    }
    return dir.resolve("h-" + sha256(taskId) + SUFFIX);
  }

  private List<ResultCodec.Entry> readAll() throws IOException {
    List<ResultCodec.Entry> entries = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      stream.forEach(files::add);
    }
    for (Path file : files) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        continue; // removed meanwhile
      }
      try {
        ResultCodec.Entry entry = ResultCodec.decode(bytes);
        if (!fileFor(entry.result().taskId()).equals(file)) {
          throw new IOException("holds the result of task " + entry.result().taskId());
        }
        entries.add(entry);
      } catch (IOException e) {
        moveAside(file, e);
      }
    }
    entries.sort(
        Comparator.comparingLong(ResultCodec.Entry::seq)
            .thenComparing(entry -> entry.result().taskId()));
    return entries;
  }

  private void moveAside(Path file, IOException why) {
    Path bad = file.resolveSibling(file.getFileName() + BAD_SUFFIX);
    try {
      Files.move(file, bad, StandardCopyOption.REPLACE_EXISTING);
      log.warn("spool file {} is unreadable ({}); moved it to {}", file, why.getMessage(), bad);
    } catch (IOException e) {
      log.warn(
          "spool file {} is unreadable ({}) and cannot be moved aside: {}",
          file,
          why.getMessage(),
          e.toString());
    }
  }

  private void syncDirectory() {
    // Makes the rename itself durable. Not every platform can open a directory; then the rename
    // is as durable as the file system makes it.
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      log.debug("cannot sync spool directory {}: {}", dir, e.toString());
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
