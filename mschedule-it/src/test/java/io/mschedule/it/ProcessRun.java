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
import java.util.function.Consumer;
import java.util.function.Function;

/** Runs a short command to completion and keeps its exit status and output (stdout + stderr). */
final class ProcessRun {
  record Result(int exit, String output) {}

  private ProcessRun() {}

  static Result run(List<String> command, Map<String, String> env, Path dir, Duration timeout) {
    return run(
        setup -> {
          ProcessBuilder pb = new ProcessBuilder(command);
          setup.accept(pb);
          try {
            return pb.start();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        String.valueOf(command),
        env,
        dir,
        timeout);
  }

  /**
   * {@code mschedule ARGS} as a client command: a JVM that starts fast (C1 only, the serial GC),
   * output and exit code.
   */
  static Result mschedule(List<String> args, Map<String, String> env) {
    return run(
        setup ->
            MscheduleJvm.start(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), args, setup),
        "mschedule " + args,
        env,
        null,
        Duration.ofSeconds(60));
  }

  private static Result run(
      Function<Consumer<ProcessBuilder>, Process> start,
      String what,
      Map<String, String> env,
      Path dir,
      Duration timeout) {
    try {
      Path out = Files.createTempFile("mschedule-run", ".out");
      try {
        Process p =
            start.apply(
                pb -> {
                  pb.redirectErrorStream(true)
                      .redirectOutput(out.toFile())
                      .redirectInput(new File("/dev/null"));
                  if (dir != null) {
                    pb.directory(dir.toFile());
                  }
                  pb.environment().putAll(env);
                });
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new AssertionError(
              what + " did not end within " + timeout + ": " + Files.readString(out));
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
}
