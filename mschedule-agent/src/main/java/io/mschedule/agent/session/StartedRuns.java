package io.mschedule.agent.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Marks runs that have started and not yet produced a result, in {@code <data-dir>/running/}, so
 * that an agent restarted mid-run reports those runs as lost instead of running them twice.
 */
final class StartedRuns {
  private final Path dir;

  StartedRuns(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  void mark(String taskId) {
    try {
      Files.writeString(dir.resolve(safe(taskId)), taskId);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write run marker for " + taskId, e);
    }
  }

  void clear(String taskId) {
    try {
      Files.deleteIfExists(dir.resolve(safe(taskId)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove run marker for " + taskId, e);
    }
  }

  boolean contains(String taskId) {
    return Files.exists(dir.resolve(safe(taskId)));
  }

  List<String> all() {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        out.add(Files.readString(f).trim());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return out;
  }

  private static String safe(String taskId) {
    if (!taskId.matches("[A-Za-z0-9_.-]{1,128}")) {
      throw new IllegalArgumentException(
          "task id '" + taskId + "' has characters not allowed in ids");
    }
    return taskId;
  }
}
