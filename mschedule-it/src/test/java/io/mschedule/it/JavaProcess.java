package io.mschedule.it;

import io.mschedule.cli.Main;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * A {@code java -jar mschedule.jar ...} child process whose output goes to a log file; agents run
 * the lean agent jar, as {@code bin/mschedule agent} does.
 */
final class JavaProcess implements AutoCloseable {
  static final Path JAR =
      Path.of(System.getProperty("mschedule.jar", "../mschedule-cli/target/mschedule.jar"));

  static final Path AGENT_JAR = JAR.resolveSibling("mschedule-agent.jar");

  private final Process process;
  private final Path log;
  private final ClassArchives.Use archive;

  private JavaProcess(Process process, Path log, ClassArchives.Use archive) {
    this.process = process;
    this.log = log;
    this.archive = archive;
  }

  static JavaProcess start(Path log, List<String> args) {
    return start(log, args, java.util.Map.of());
  }

  static JavaProcess start(Path log, List<String> args, java.util.Map<String, String> env) {
    return start(log, args, env, null);
  }

  /**
   * @param defaultJvm the JVM options when {@code mschedule.it.jvm} is not set; null for the small
   *     default
   */
  static JavaProcess start(
      Path log, List<String> args, java.util.Map<String, String> env, List<String> defaultJvm) {
    // small JVMs: many run at once on a 2-core machine (-Dmschedule.it.jvm="…" for a benchmark)
    String jvm = System.getProperty("mschedule.it.jvm", "");
    List<String> options =
        !jvm.isBlank()
            ? List.of(jvm.trim().split("\\s+"))
            : defaultJvm != null
                ? defaultJvm
                : List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");
    Path jar = args.get(0).equals("agent") ? AGENT_JAR : JAR;
    ClassArchives.Use archive = ClassArchives.use(jar, options);
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder pb = new ProcessBuilder(archive.command(jar, options, args));
      pb.environment().putAll(env);
      Process p =
          pb.redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(new File("/dev/null"))
              .start();
      archive.started(p);
      return new JavaProcess(p, log, archive);
    } catch (IOException e) {
      archive.ended();
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs a short command that only reads or writes files of a data directory ({@code master key},
   * {@code master token create}, {@code relay key}) to completion and returns its standard output.
   * It runs in this JVM, through the command line that {@code java -jar mschedule.jar} runs: the
   * same code without a JVM start (about a second of CPU each, twice per cluster).
   */
  static String run(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args.toArray(String[]::new));
    if (code != 0) {
      throw new IllegalStateException("mschedule " + args + " failed (" + code + "): " + out + err);
    }
    return out.toString();
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Sends a signal by name ({@code STOP}, {@code CONT}) with kill(1). */
  void signal(String name) {
    try {
      Process k = new ProcessBuilder("kill", "-" + name, String.valueOf(pid())).start();
      if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGKILL: no shutdown hook runs. */
  void kill9() {
    process.destroyForcibly();
    waitFor();
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  private void waitFor() {
    try {
      process.waitFor(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    archive.ended();
  }

  /** SIGTERM (after a CONT) without waiting for the process to end; {@link #close} waits. */
  void terminate() {
    if (process.isAlive()) {
      try {
        signal("CONT");
      } catch (RuntimeException e) {
        // it ended meanwhile
      }
      process.destroy();
    }
  }

  /**
   * Closes {@code processes} together: each is sent its SIGTERM before any is waited for, so their
   * shutdowns (a few seconds each for an agent) overlap instead of adding up.
   */
  static void closeAll(java.util.Collection<JavaProcess> processes) {
    processes.forEach(JavaProcess::terminate);
    processes.forEach(JavaProcess::close);
  }

  /** SIGTERM, then SIGKILL if it does not stop. */
  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        signal("CONT"); // a stopped process would not act on the TERM until continued
      } catch (RuntimeException e) {
        // it ended meanwhile
      }
      process.destroy();
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    archive.ended();
  }
}
