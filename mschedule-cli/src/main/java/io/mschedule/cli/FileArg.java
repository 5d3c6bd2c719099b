package io.mschedule.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * A {@code run --file SRC[:NAME]} argument: the local file and its name in the script's working
 * directory.
 */
record FileArg(Path source, String name) {

  /** The argument, or null when NAME is not a plain file name. */
  static FileArg parse(String arg) {
    int colon = arg.lastIndexOf(':');
    String src = colon < 0 ? arg : arg.substring(0, colon);
    if (src.isEmpty()) {
      return null;
    }
    Path path = Path.of(src);
    String name = colon < 0 ? String.valueOf(path.getFileName()) : arg.substring(colon + 1);
    if (name.isEmpty()
        || name.contains("/")
        || name.equals(".")
        || name.equals("..")
        || name.equals(".mschedule-script")) {
      return null;
    }
    return new FileArg(path, name);
  }

  /** The local file's permission bits in octal ({@code 0755} keeps a tool executable). */
  static String modeOf(Path file) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      int bits = 0;
      for (PosixFilePermission p : perms) {
        bits |= 1 << (8 - p.ordinal());
      }
      return String.format("0%03o", bits);
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }
}
