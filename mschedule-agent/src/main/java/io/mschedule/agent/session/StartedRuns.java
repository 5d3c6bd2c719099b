package io.mschedule.agent.session;

import io.mschedule.agent.runner.RunKeys;
import io.mschedule.agent.spool.DurableFiles;
import io.mschedule.agent.spool.Quarantine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks runs that have started and not yet produced a result, in {@code <data-dir>/running/}, so
 * that an agent restarted mid-run reports those runs as lost instead of running them twice.
 *
 * <p>One file per run holding its name ({@link RunKeys}: the task id, with the attempt for a
 * retry), written with {@link DurableFiles#write} (never empty or half-written, even on a full disk
 * or a power cut). The file is named after the task id when the name is a plain one, otherwise
 * after its SHA-256 ({@code ~<hex>}). A marker that cannot be read back at start-up is moved into
 * the {@link Quarantine}; when its name is a plain task id, that run is still reported.
 */
final class StartedRuns {

  private static final Logger log = LoggerFactory.getLogger(StartedRuns.class);
  private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}");
  private static final String HASHED_PREFIX = "~";

  private final Path dir;
  private final Quarantine quarantine;

  StartedRuns(Path dir) {
    this(dir, Quarantine.nextTo(dir));
  }

  StartedRuns(Path dir, Quarantine quarantine) {
    this.dir = dir;
    this.quarantine = quarantine;
    try {
      Files.createDirectories(dir);
      DurableFiles.deleteTemps(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  /** Marks a run ({@link RunKeys}) as started; durable once it returns. */
  void mark(String runKey) throws IOException {
    DurableFiles.write(fileFor(runKey), runKey.getBytes(StandardCharsets.UTF_8));
  }

  /** Forgets the mark of a run. A failure is logged: the run is then reported lost at restart. */
  void clear(String runKey) {
    try {
      Files.deleteIfExists(fileFor(runKey));
    } catch (IOException e) {
      log.warn("cannot remove the run marker of task {}: {}", runKey, e.toString());
    }
  }

  boolean contains(String runKey) {
    return Files.exists(fileFor(runKey));
  }

  /**
   * The names ({@link RunKeys}) of the marked runs. Markers that cannot be read are moved to the
   * quarantine (the task id is taken from the name when it is a plain one); nothing here is fatal.
   */
  List<String> all() {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(dir, f -> !f.getFileName().toString().startsWith("."))) {
      entries.forEach(files::add);
    } catch (IOException e) {
      log.error("cannot list the run markers in {}: {}", dir, e.toString());
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      String id;
      String problem;
      try {
        id = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        problem =
            id.isEmpty()
                ? "empty"
                : fileFor(id).getFileName().toString().equals(name)
                    ? null
                    : "holds a task id that does not match its name";
      } catch (NoSuchFileException e) {
        continue;
      } catch (IOException | RuntimeException e) {
        id = null;
        problem = e.toString();
      }
      if (problem == null) {
        out.add(id);
        continue;
      }
      quarantine.moveAside(file, problem);
      if (PLAIN_ID.matcher(name).matches()) {
        log.warn("task {} had a damaged run marker; reporting the run all the same", name);
        out.add(name);
      } else {
        log.warn("a damaged run marker {} names no task; that run cannot be reported", name);
      }
    }
    return out;
  }

  private Path fileFor(String taskId) {
    if (PLAIN_ID.matcher(taskId).matches()) {
      return dir.resolve(taskId);
    }
    return dir.resolve(HASHED_PREFIX + sha256(taskId));
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
