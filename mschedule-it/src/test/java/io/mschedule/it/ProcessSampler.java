package io.mschedule.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Samples a JVM process: the heap it retains (old generation in use right after a full GC: the
 * young generation refills at once in a busy process and would only add noise), open file
 * descriptors, threads.
 */
final class ProcessSampler {
  record Sample(long atSeconds, long heapAfterGcBytes, int fds, int threads) {
    @Override
    public String toString() {
      return String.format(
          "t=%4ds heap after GC %6.1f MB, %4d fds, %3d threads",
          atSeconds, heapAfterGcBytes / 1e6, fds, threads);
    }
  }

  private final long pid;
  private final long startNanos = System.nanoTime();

  ProcessSampler(long pid) {
    this.pid = pid;
  }

  Sample sample() {
    return new Sample(
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos),
        heapAfterGc(),
        fds(),
        threads());
  }

  /** {@code jcmd PID GC.run}, then the old generation in use ({@code OU} of {@code jstat -gc}). */
  long heapAfterGc() {
    run(tool("jcmd"), String.valueOf(pid), "GC.run");
    String[] lines = run(tool("jstat"), "-gc", String.valueOf(pid)).strip().split("\n");
    String[] head = lines[0].trim().split("\\s+");
    String[] values = lines[lines.length - 1].trim().split("\\s+");
    double usedKb = 0;
    for (int i = 0; i < head.length && i < values.length; i++) {
      if (head[i].equals("OU")) {
        usedKb += Double.parseDouble(values[i]);
      }
    }
    return (long) (usedKb * 1024);
  }

  int fds() {
    try (Stream<Path> s = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
      return (int) s.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int threads() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("Threads:")) {
          return Integer.parseInt(line.substring("Threads:".length()).trim());
        }
      }
      throw new IllegalStateException("no Threads: line for " + pid);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String tool(String name) {
    return Path.of(System.getProperty("java.home"), "bin", name).toString();
  }

  private static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
