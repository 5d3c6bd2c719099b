package io.mschedule.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether standard output or standard error is a terminal. */
final class Terminal {
  private Terminal() {}

  static boolean stdout() {
    return isTerminal(1);
  }

  static boolean stderr() {
    return isTerminal(2);
  }

  /**
   * On Linux the descriptor's link under {@code /proc/self/fd} names a tty device when it is a
   * terminal; elsewhere, the JVM's console (both standard input and output are terminals) decides.
   */
  private static boolean isTerminal(int fd) {
    Path link = Path.of("/proc/self/fd", Integer.toString(fd));
    try {
      String target = Files.readSymbolicLink(link).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }
}
