package io.mschedule.agent.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the agent can make a cgroup (v2) per run: a directory below the agent's own cgroup on the
 * unified (v2) hierarchy that the agent may write. Found once, from {@code /proc/self/mountinfo}
 * and {@code /proc/self/cgroup}; absent when there is no cgroup v2 hierarchy, the agent's cgroup is
 * not writable (a read-only {@code /sys/fs/cgroup} in a container, an unprivileged user without a
 * delegated cgroup) or the platform is not Linux.
 */
final class Cgroups {

  private static final Logger log = LoggerFactory.getLogger(Cgroups.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Prefix of every run's cgroup directory. */
  static final String PREFIX = "mschedule-run-";

  private final Path base;

  private Cgroups(Path base) {
    this.base = base;
  }

  /** The agent's own cgroup, below which run cgroups are made. */
  Path base() {
    return base;
  }

  /** Finds the agent's cgroup v2 directory and checks that a run cgroup can be made in it. */
  static Optional<Cgroups> detect() {
    Optional<Path> base;
    List<String> mountinfo;
    try {
      mountinfo = Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8);
      base =
          locate(
              mountinfo, Files.readAllLines(Path.of("/proc/self/cgroup"), StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      log.debug("no cgroup v2 for runs: {}", e.toString());
      return Optional.empty();
    }
    if (base.isEmpty()) {
      log.info("no cgroup v2 hierarchy found; runs are tracked by session and environment");
      return Optional.empty();
    }
    Cgroups cgroups = new Cgroups(base.get());
    try {
      RunCgroup probe = cgroups.create();
      probe.remove();
    } catch (IOException | RuntimeException e) {
      log.info(
          "cannot make cgroups in {} ({}); runs are tracked by session and environment",
          base.get(),
          e.toString());
      return Optional.empty();
    }
    log.info("each run gets a cgroup of its own below {}", base.get());
    if (!favorsMoves(mountinfo) && kernelMajor(System.getProperty("os.version")) >= 6) {
      log.info(
          "cgroup2 is mounted without favordynmods: moving each run into its cgroup can wait ~10"
              + " ms for the kernel; 'mount -o remount,favordynmods {}' removes that wait (see"
              + " docs/operations.md)",
          mountPoint(mountinfo).orElse("/sys/fs/cgroup"));
    }
    return Optional.of(cgroups);
  }

  /**
   * True when the cgroup2 hierarchy is mounted with {@code favordynmods} (Linux 6.0+): moving a
   * process into a cgroup then no longer waits for an RCU grace period (~10 ms), at a small cost to
   * every fork and exit.
   */
  static boolean favorsMoves(List<String> mountinfo) {
    for (String line : mountinfo) {
      int dash = line.indexOf(" - ");
      String[] after = dash < 0 ? new String[0] : line.substring(dash + 3).split(" ");
      if (after.length >= 3 && after[0].equals("cgroup2")) {
        return List.of(after[2].split(",")).contains("favordynmods");
      }
    }
    return false;
  }

  private static Optional<String> mountPoint(List<String> mountinfo) {
    for (String line : mountinfo) {
      int dash = line.indexOf(" - ");
      String[] before = dash < 0 ? new String[0] : line.substring(0, dash).split(" ");
      if (before.length >= 5 && line.substring(dash + 3).startsWith("cgroup2 ")) {
        return Optional.of(unescape(before[4]));
      }
    }
    return Optional.empty();
  }

  /** The major number of a Linux version ({@code 6.1.0-18-amd64} gives 6), or 0. */
  static int kernelMajor(String version) {
    try {
      return Integer.parseInt(String.valueOf(version).split("\\.")[0]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * The agent's cgroup directory, from the lines of {@code /proc/self/mountinfo} and {@code
   * /proc/self/cgroup}: the mount point of the cgroup2 file system joined with the {@code 0::}
   * path, when the mount shows that path.
   */
  static Optional<Path> locate(List<String> mountinfo, List<String> cgroup) {
    String own = null;
    for (String line : cgroup) {
      if (line.startsWith("0::")) {
        own = line.substring(3).trim();
      }
    }
    if (own == null || !own.startsWith("/")) {
      return Optional.empty();
    }
    for (String line : mountinfo) {
      int dash = line.indexOf(" - ");
      if (dash < 0) {
        continue;
      }
      String[] after = line.substring(dash + 3).split(" ");
      String[] before = line.substring(0, dash).split(" ");
      if (after.length < 1 || !after[0].equals("cgroup2") || before.length < 5) {
        continue;
      }
      String root = before[3];
      String mountPoint = unescape(before[4]);
      String relative;
      if (root.equals("/")) {
        relative = own;
      } else if (own.equals(root) || own.startsWith(root + "/")) {
        relative = own.substring(root.length());
      } else {
        continue;
      }
      return Optional.of(Path.of(mountPoint + (relative.equals("/") ? "" : relative)));
    }
    return Optional.empty();
  }

  /** Makes a new, empty cgroup for a run. */
  RunCgroup create() throws IOException {
    Path dir = base.resolve(PREFIX + HexFormat.of().toHexDigits(RANDOM.nextLong()));
    Files.createDirectory(dir);
    return new RunCgroup(dir, base);
  }

  /** Mount points in mountinfo escape space, tab, newline and backslash as octal. */
  private static String unescape(String s) {
    return s.replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\");
  }
}
