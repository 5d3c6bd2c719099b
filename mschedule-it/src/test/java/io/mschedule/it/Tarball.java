package io.mschedule.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The release tarball ({@code mschedule-VERSION.tar.gz}) unpacked with tar, as an operator does.
 */
final class Tarball {
  static final String VERSION = System.getProperty("mschedule.version", "0.1.0-SNAPSHOT");
  static final Path FILE =
      Path.of(
          System.getProperty(
              "mschedule.tarball", "../mschedule-cli/target/mschedule-" + VERSION + ".tar.gz"));

  /** The agent-only tarball ({@code mschedule-agent-VERSION.tar.gz}). */
  static final Path AGENT_FILE =
      Path.of(
          System.getProperty(
              "mschedule.agentTarball",
              "../mschedule-cli/target/mschedule-agent-" + VERSION + ".tar.gz"));

  /** The unpacked top folder, {@code mschedule-VERSION/}. */
  final Path home;

  private Tarball(Path home) {
    this.home = home;
  }

  /** Unpacks the tarball into {@code dir} with {@code tar xzf}. */
  static Tarball unpack(Path dir) {
    return unpack(FILE, dir, "mschedule-" + VERSION);
  }

  /** Unpacks the agent-only tarball into {@code dir}. */
  static Tarball unpackAgent(Path dir) {
    return unpack(AGENT_FILE, dir, "mschedule-agent-" + VERSION);
  }

  private static Tarball unpack(Path file, Path dir, String top) {
    if (!Files.isRegularFile(file)) {
      throw new AssertionError(file.toAbsolutePath() + " is missing: run 'mvn package' first");
    }
    ProcessRun.Result r =
        ProcessRun.run(
            List.of("tar", "xzf", file.toAbsolutePath().toString(), "-C", dir.toString()),
            Map.of(),
            null,
            Duration.ofSeconds(60));
    if (r.exit() != 0) {
      throw new AssertionError("tar xzf " + file + " failed: " + r.output());
    }
    return new Tarball(dir.resolve(top));
  }

  Path launcher() {
    return home.resolve("bin/mschedule");
  }

  /** The launcher's environment: this JVM's java, a small heap. */
  static Map<String, String> env(Map<String, String> more) {
    Map<String, String> env = new HashMap<>();
    env.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    env.put("MSCHEDULE_JAVA_OPTS", "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k");
    env.putAll(more);
    return env;
  }

  /** Starts {@code launcher ARGS} in {@code home}, output appended to {@code log}. */
  Process start(Path launcher, Path log, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(launcher.toString());
    cmd.addAll(args);
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().putAll(env(Map.of()));
      return pb.directory(home.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(new File("/dev/null"))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
