package io.mschedule.master.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's data directory holds its database, keys, tokens and logs: only the master's user may
 * enter it (0700), and every file in it is 0600, every directory 0700. Symbolic links are not
 * followed. On a file system without POSIX permissions nothing is done.
 */
public final class DataDirPermissions {
  private static final Logger log = LoggerFactory.getLogger(DataDirPermissions.class);
  static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private DataDirPermissions() {}

  /** Tightens {@code dir} and everything in it; returns how many entries were changed. */
  public static int secure(Path dir) {
    int[] changed = {0};
    try {
      if (!Files.getFileStore(dir).supportsFileAttributeView("posix")) {
        return 0;
      }
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
                throws IOException {
              changed[0] += set(d, DIR);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
              if (attrs.isRegularFile()) {
                changed[0] += set(f, FILE);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
              return FileVisitResult.CONTINUE; // e.g. a temporary file that went away
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set the permissions of data dir " + dir, e);
    }
    if (changed[0] > 0) {
      log.info("data dir {}: tightened the permissions of {} entries (0700/0600)", dir, changed[0]);
    }
    return changed[0];
  }

  private static int set(Path p, Set<PosixFilePermission> wanted) throws IOException {
    Set<PosixFilePermission> now = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
    if (now.equals(wanted)) {
      return 0;
    }
    Files.setPosixFilePermissions(p, wanted);
    return 1;
  }
}
