package io.mschedule.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The run directories under {@code --out}/work: each run of a benchmark makes one (a master's data
 * directory with its H2 file and logs, agents' directories). A throughput run's H2 file alone takes
 * gigabytes, so the directories a successful command made are removed when it ends; JFR files,
 * which sit beside them, stay.
 */
final class WorkDirs {
  private WorkDirs() {}

  /** The directories directly under {@code work} now (none if it does not exist). */
  static Set<Path> list(Path work) {
    Set<Path> dirs = new TreeSet<>();
    if (!Files.isDirectory(work)) {
      return dirs;
    }
    try (Stream<Path> s = Files.list(work)) {
      s.filter(Files::isDirectory).forEach(dirs::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dirs;
  }

  /** Removes the directories under {@code work} that are not in {@code before}; returns them. */
  static Set<Path> removeNew(Path work, Set<Path> before) {
    Set<Path> made = list(work);
    made.removeAll(before);
    made.forEach(WorkDirs::deleteTree);
    return made;
  }

  static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove " + root + ": " + e.getMessage(), e);
    }
  }
}
