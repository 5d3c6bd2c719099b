package io.mschedule.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's CPU time, resident memory and thread count from {@code /proc}. */
final class ProcStat {
  private static final long TICK_NANOS = 1_000_000_000L / clockTicks();

  private ProcStat() {}

  /** utime + stime of {@code pid}, in nanoseconds (clock-tick resolution, 10 ms). */
  static long cpuNanos(long pid) {
    return cpuNanos(read(Path.of("/proc", String.valueOf(pid), "stat")));
  }

  /** utime + stime of a {@code stat} line of /proc (a process's or a thread's), in nanoseconds. */
  private static long cpuNanos(String stat) {
    // the command name is in parentheses and may contain spaces: fields start after ") "
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    long utime = Long.parseLong(f[11]); // field 14 of the whole line
    long stime = Long.parseLong(f[12]); // field 15
    return (utime + stime) * TICK_NANOS;
  }

  /**
   * utime + stime of the threads of {@code pid} whose name starts with {@code prefix} (as {@code
   * /proc/PID/task/TID/comm} shows it, 15 characters at most), in nanoseconds; threads that end
   * while they are read are left out.
   */
  static long threadCpuNanos(long pid, String prefix) {
    long sum = 0;
    try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
      for (Path t : tasks.toList()) {
        try {
          if (Files.readString(t.resolve("comm")).startsWith(prefix)) {
            sum += cpuNanos(Files.readString(t.resolve("stat")));
          }
        } catch (IOException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the threads of " + pid, e);
    }
    return sum;
  }

  /** The 1, 5 and 15 minute load averages of the machine, as /proc/loadavg shows them. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /**
   * Established TCP connections whose local port is one of {@code ports} (on loopback both ends are
   * listed; only the listening side has the port as its local port).
   */
  static int established(int... ports) {
    int n = 0;
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      Path p = Path.of(table);
      if (!Files.isReadable(p)) {
        continue;
      }
      for (String line : read(p).split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !"01".equals(f[3]) || f[1].indexOf(':') < 0) {
          continue;
        }
        int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
        for (int port : ports) {
          n += local == port ? 1 : 0;
        }
      }
    }
    return n;
  }

  static long rssBytes(long pid) {
    return statusField(pid, "VmRSS:") * 1024;
  }

  static int threads(long pid) {
    return (int) statusField(pid, "Threads:");
  }

  private static long statusField(long pid, String name) {
    for (String line : read(Path.of("/proc", String.valueOf(pid), "status")).split("\n")) {
      if (line.startsWith(name)) {
        return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      long t = Long.parseLong(out);
      return t > 0 ? t : 100;
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
