package io.mschedule.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Class-data-sharing archives for the JVMs the tests start (masters, agents, client commands), as
 * {@code bin/mschedule} gives one to client commands: the first process of a jar and set of JVM
 * options writes the archive of the classes it loaded as it exits ({@code
 * -XX:ArchiveClassesAtExit}); the processes after it map that archive and start on less CPU. A
 * process that finds none, or whose JVM refuses it ({@code -Xshare:auto}), starts as before.
 */
final class ClassArchives {
  private static final Path DIR = Path.of("target", "cds").toAbsolutePath();
  private static final List<String> QUIET = List.of("-Xshare:auto", "-Xlog:cds*=off");
  private static final Map<String, Use> MAKERS = new ConcurrentHashMap<>();

  private ClassArchives() {}

  /**
   * One process's command line with its archive; {@link #ended} (with the process) when it ended.
   * Only a process that ended normally or on SIGTERM leaves its archive: one that failed early
   * loaded too few classes to be worth sharing.
   */
  static final class Use {
    private final List<String> options;
    private final String key;
    private final Path tmp;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile Process process;

    private Use(List<String> options, String key, Path tmp) {
      this.options = options;
      this.key = key;
      this.tmp = tmp;
    }

    /** {@code java JVM-OPTIONS ARCHIVE-OPTIONS -jar JAR ARGS}. */
    List<String> command(Path jar, List<String> jvm, List<String> args) {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(jvm);
      cmd.addAll(options);
      cmd.add("-jar");
      cmd.add(jar.toAbsolutePath().toString());
      cmd.addAll(args);
      return cmd;
    }

    /** The process that runs with these options. */
    void started(Process p) {
      process = p;
    }

    /** After the process ended (or could not start): keeps or drops the archive it wrote. */
    void ended() {
      Process p = process;
      if (tmp == null || (p != null && p.isAlive()) || !done.compareAndSet(false, true)) {
        return;
      }
      int code = p == null ? -1 : p.exitValue();
      try {
        if ((code == 0 || code == 143) && Files.isRegularFile(tmp) && Files.size(tmp) > 0) {
          Files.move(tmp, archive(key), StandardCopyOption.ATOMIC_MOVE);
        }
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // none then; the next process tries
      }
      MAKERS.remove(key, this);
    }
  }

  /** The options for a JVM that runs {@code jar} with {@code jvm}. */
  static Use use(Path jar, List<String> jvm) {
    String key = key(jar, jvm);
    Use maker = MAKERS.get(key);
    if (maker != null && maker.process != null) {
      maker.ended(); // a maker whose process ended without being closed (not one still starting)
    }
    if (Files.isRegularFile(archive(key))) {
      return new Use(concat(QUIET, "-XX:SharedArchiveFile=" + archive(key)), key, null);
    }
    Path tmp = DIR.resolve(key + "." + ProcessHandle.current().pid() + "." + System.nanoTime());
    Use use = new Use(concat(QUIET, "-XX:ArchiveClassesAtExit=" + tmp), key, tmp);
    try {
      Files.createDirectories(DIR);
    } catch (IOException e) {
      return new Use(List.of(), key, null);
    }
    return MAKERS.putIfAbsent(key, use) == null ? use : new Use(List.of(), key, null);
  }

  private static Path archive(String key) {
    return DIR.resolve(key + ".jsa");
  }

  private static List<String> concat(List<String> a, String b) {
    return java.util.stream.Stream.concat(a.stream(), java.util.stream.Stream.of(b)).toList();
  }

  private static String key(Path jar, List<String> jvm) {
    String name = jar.getFileName().toString().replace(".jar", "");
    try {
      String id =
          String.join(
              "|",
              jar.toAbsolutePath().toString(),
              String.valueOf(Files.size(jar)),
              String.valueOf(Files.getLastModifiedTime(jar).toMillis()),
              System.getProperty("java.home"),
              String.join(" ", jvm));
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return name + "-" + HexFormat.of().formatHex(sha, 0, 8);
    } catch (IOException | NoSuchAlgorithmException e) {
      return name + "-unknown";
    }
  }
}
