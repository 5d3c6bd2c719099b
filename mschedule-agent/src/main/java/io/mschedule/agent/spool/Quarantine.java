package io.mschedule.agent.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder where entries of the agent's data directory that cannot be read (empty, truncated,
 * corrupt) are moved aside, with a log line, so the agent carries on without them and an operator
 * can look at them later. A file of {@code <data-dir>/spool/} goes to {@code
 * <data-dir>/quarantine/spool/}, one of {@code running/} to {@code quarantine/running/}.
 */
public final class Quarantine {

  private static final Logger log = LoggerFactory.getLogger(Quarantine.class);

  /** The folder's name next to the folders it takes files from. */
  public static final String DIR_NAME = "quarantine";

  private final Path dir;

  public Quarantine(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  /** The quarantine next to {@code folder}: {@code <folder's parent>/quarantine}. */
  public static Quarantine nextTo(Path folder) {
    return new Quarantine(folder.toAbsolutePath().resolveSibling(DIR_NAME));
  }

  /** The quarantine folder. */
  public Path dir() {
    return dir;
  }

  /**
   * Moves {@code file} into the quarantine (below a folder named like the one it came from), never
   * replacing an earlier one. Never throws: when even that fails, the failure is logged.
   *
   * @return where the file went, or null when it could not be moved
   */
  public Path moveAside(Path file, String why) {
    Path source = file.toAbsolutePath();
    Path target = null;
    try {
      Path folder = dir.resolve(source.getParent().getFileName().toString());
      Files.createDirectories(folder);
      target = folder.resolve(source.getFileName().toString());
      for (int n = 1; Files.exists(target); n++) {
        target = folder.resolve(source.getFileName() + "." + n);
      }
      Files.move(source, target);
      DurableFiles.syncDirectory(source.getParent());
      log.warn("{} is unreadable ({}); moved it to {}", source, why, target);
      return target;
    } catch (IOException | RuntimeException e) {
      log.error(
          "{} is unreadable ({}) and cannot be moved to {}: {}; remove it by hand",
          source,
          why,
          target == null ? dir : target,
          e.toString());
      return null;
    }
  }
}
