package io.mschedule.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a short command to completion and keeps its exit status and output (stdout + stderr). */
final class ProcessRun {
  record Result(int exit, String output) {}

  private ProcessRun() {}

  static Result run(List<String> command, Map<String, String> env, Path dir, Duration timeout) {
    try {
      Path out = Files.createTempFile("mschedule-run", ".out");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(new File("/dev/null"));
        if (dir != null) {
          pb.directory(dir.toFile());
        }
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new AssertionError(
              command + " did not end within " + timeout + ": " + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code java -jar mschedule.jar ARGS} with the test's JVM. */
  static Result mschedule(List<String> args, Map<String, String> env) {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JavaProcess.JAR.toAbsolutePath().toString()));
    cmd.addAll(args);
    return run(cmd, env, null, Duration.ofSeconds(60));
  }
}
