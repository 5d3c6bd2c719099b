package io.mschedule.agent.process;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creating and removing the temporary work directories of runs. */
final class WorkDirs {

  private static final Logger log = LoggerFactory.getLogger(WorkDirs.class);

  /** Prefix of every run's work directory. */
  static final String PREFIX = "mschedule-run-";

  private static final Set<PosixFilePermission> OWNER_ALL =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);

  private WorkDirs() {}

  static Path create(Path root) throws LaunchException {
    try {
      return Files.createTempDirectory(root, PREFIX);
    } catch (IOException | RuntimeException e) {
      throw new LaunchException(
          "cannot create a work directory under " + root + ": " + describe(e), e);
    }
  }

  /** Moves each file into the work directory under its name. */
  static void moveIn(Path workDir, Map<String, Path> files) throws LaunchException {
    for (Map.Entry<String, Path> f : files.entrySet()) {
      Path target = workDir.resolve(f.getKey());
      if (!workDir.equals(target.getParent())) {
        throw new LaunchException("file name '" + f.getKey() + "' is not a plain name");
      }
      try {
        Files.move(f.getValue(), target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | RuntimeException e) {
        throw new LaunchException(
            "cannot move " + f.getKey() + " into the work directory: " + describe(e), e);
      }
    }
  }

  /**
   * Removes the directory and everything in it, without following symbolic links. Tries twice (a
   * process left behind by the script may still be writing into it) and logs what remains.
   *
   * @return true when the directory is gone
   */
  static boolean delete(Path dir) {
    IOException last = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        deleteTree(dir);
        return true;
      } catch (NoSuchFileException e) {
        return true;
      } catch (IOException e) {
        last = e;
      }
    }
    log.warn("cannot remove work directory {}: {}", dir, describe(last));
    return false;
  }

  static String describe(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            // A script may have taken away its own permissions on a directory it made.
            try {
              Files.setPosixFilePermissions(d, OWNER_ALL);
            } catch (IOException | UnsupportedOperationException e) {
              // try to delete anyway
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            // An entry we cannot stat or open: try to delete it as it is.
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.deleteIfExists(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
