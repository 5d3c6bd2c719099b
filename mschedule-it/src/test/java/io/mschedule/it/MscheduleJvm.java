package io.mschedule.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Starts {@code java OPTIONS -jar mschedule.jar ARGS}: the one way the tests start the master,
 * agents, relays and client commands from the fat jar.
 *
 * <p>Each test JVM keeps a class-data-sharing archive per kind of process ({@code master}, {@code
 * agent}, {@code relay}, and each client command by its name): the first process of a kind that
 * ends on its own or on SIGTERM writes it ({@code -XX:ArchiveClassesAtExit}), and the later ones
 * map it, which spares each of them about a second of CPU (a master's start: 4.4 s of CPU without,
 * 3.2 s with). A process killed with SIGKILL writes none; the next of its kind tries again, up to
 * {@link #TRAININGS} times. An archive that does not fit is ignored by the JVM, and {@code
 * -Dmschedule.it.cds=false} turns them off.
 */
final class MscheduleJvm {
  static final Path JAR =
      Path.of(System.getProperty("mschedule.jar", "../mschedule-cli/target/mschedule.jar"));

  /** The most processes of one kind started to write its archive. */
  static final int TRAININGS = 3;

  private static final Set<String> SERVERS = Set.of("master", "agent", "relay");
  private static final boolean ON =
      !"false".equals(System.getProperty("mschedule.it.cds"))
          && System.getProperty("mschedule.it.jvm", "").isBlank();
  private static final Map<String, Process> trainers = new HashMap<>();
  private static final Map<String, Integer> trainings = new HashMap<>();
  private static Path dir;

  private MscheduleJvm() {}

  /**
   * Starts mschedule with {@code jvm} options and {@code args}; {@code setup} sets the process's
   * environment, directory and redirections.
   */
  static synchronized Process start(
      List<String> jvm, List<String> args, Consumer<ProcessBuilder> setup) {
    String kind = kind(args);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    boolean training = ON && share(kind, cmd);
    cmd.addAll(jvm);
    cmd.add("-jar");
    cmd.add(JAR.toAbsolutePath().toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(new File("/dev/null"));
    setup.accept(pb);
    try {
      Process p = pb.start();
      if (training) {
        trainers.put(kind, p);
        trainings.merge(kind, 1, Integer::sum);
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The kind of process: the server it runs, or the client command's name. */
  static String kind(List<String> args) {
    if (args.isEmpty()) {
      return "help";
    }
    String first = args.get(0);
    boolean server = args.size() == 1 || args.get(1).startsWith("-");
    return SERVERS.contains(first) && !server ? first + "-" + args.get(1) : first;
  }

  /** Adds the archive options for {@code kind}; true when this process is to write the archive. */
  private static boolean share(String kind, List<String> cmd) {
    Process trainer = trainers.get(kind);
    if (trainer != null && trainer.isAlive()) {
      return false; // its archive is not written yet
    }
    Path archive = dir().resolve(kind.replaceAll("[^a-z0-9-]", "_") + ".jsa");
    boolean training = !Files.isRegularFile(archive);
    if (training && trainings.getOrDefault(kind, 0) >= TRAININGS) {
      return false;
    }
    if (training) {
      archive.toFile().deleteOnExit();
    }
    cmd.add((training ? "-XX:ArchiveClassesAtExit=" : "-XX:SharedArchiveFile=") + archive);
    cmd.add("-Xlog:cds*=off");
    return training;
  }

  /** This test JVM's archives: target/cds/PID, where those of test JVMs gone are removed. */
  private static Path dir() {
    if (dir == null) {
      Path root = Path.of(System.getProperty("mschedule.root", "..")).resolve("mschedule-it");
      Path all = root.resolve("target").resolve("cds");
      try {
        Files.createDirectories(all);
        try (Stream<Path> old = Files.list(all)) {
          old.filter(d -> !alive(d.getFileName().toString())).forEach(MscheduleJvm::delete);
        }
        dir = Files.createDirectories(all.resolve(String.valueOf(ProcessHandle.current().pid())));
        dir.toFile().deleteOnExit();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir;
  }

  private static boolean alive(String pid) {
    try {
      return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static void delete(Path d) {
    try (Stream<Path> files = Files.list(d)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(d);
    } catch (IOException e) {
      // another test JVM's leftovers; tried again next time
    }
  }
}
