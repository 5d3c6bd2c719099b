package io.mschedule.agent.spool;

import io.mschedule.agent.runner.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Keeps run results on disk until the master has acknowledged them, so no result is lost when the
 * agent loses its connection or restarts.
 *
 * <p>One file per run ({@link RunResult#runKey}: the task id, with the attempt for a retry) in the
 * spool directory, written with {@link DurableFiles#write}: a crash, a power cut or a full disk
 * leaves either the old entry or the new one, never half of one. A file that cannot be read back
 * (empty, truncated, corrupt) is moved into the {@link Quarantine} with a log line, and the spool
 * carries on. Thread-safe.
 */
public final class ResultSpool {

  static final String SUFFIX = ".result";
  static final String TEMP_PREFIX = DurableFiles.TEMP_PREFIX;
  private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  private final Path dir;
  private final Quarantine quarantine;
  private long nextSeq; // guarded by this

  /**
   * Opens (and creates if needed) the spool in {@code dir}, with unreadable files going to the
   * quarantine next to it. Left-over temporary files of an interrupted save are removed.
   */
  public ResultSpool(Path dir) throws IOException {
    this(dir, Quarantine.nextTo(dir));
  }

  /** Opens (and creates if needed) the spool in {@code dir}. */
  public ResultSpool(Path dir, Quarantine quarantine) throws IOException {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.quarantine = Objects.requireNonNull(quarantine, "quarantine");
    Files.createDirectories(dir);
    DurableFiles.deleteTemps(dir);
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

  /** Saves a result, replacing any saved result of the same run. Durable once it returns. */
  public synchronized void save(RunResult result) throws IOException {
    Objects.requireNonNull(result, "result");
    byte[] bytes = ResultCodec.encode(nextSeq, result);
    DurableFiles.write(fileFor(result.runKey()), bytes);
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
   * Forgets the saved result of a run (its {@link RunResult#runKey}), once the master has
   * acknowledged it.
   *
   * @return true when there was one
   */
  public synchronized boolean remove(String runKey) throws IOException {
    return Files.deleteIfExists(fileFor(runKey));
  }

  /** How many results are saved (waiting for the master to take them). */
  public int size() {
    try (var files = Files.list(dir)) {
      return (int) files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).count();
    } catch (IOException e) {
      return -1;
    }
  }

  /** True when a result of this run (its {@link RunResult#runKey}) is saved. */
  public boolean contains(String runKey) {
    return Files.exists(fileFor(runKey));
  }

  /** The file that holds the result of a run. Task ids are not trusted as file names. */
  Path fileFor(String runKey) {
    if (PLAIN_ID.matcher(runKey).matches()) {
      return dir.resolve("t-" + runKey + SUFFIX);
    }
    return dir.resolve("h-" + sha256(runKey) + SUFFIX);
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
        if (!fileFor(entry.result().runKey()).equals(file)) {
          throw new IOException("holds the result of task " + entry.result().runKey());
        }
        entries.add(entry);
      } catch (IOException e) {
        quarantine.moveAside(file, bytes.length == 0 ? "empty" : e.getMessage());
      }
    }
    entries.sort(
        Comparator.comparingLong(ResultCodec.Entry::seq)
            .thenComparing(entry -> entry.result().runKey()));
    return entries;
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
