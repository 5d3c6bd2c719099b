package io.mschedule.bench.jmh;

import io.mschedule.agent.process.LaunchRequest;
import io.mschedule.agent.process.LaunchedProcess;
import io.mschedule.agent.process.LocalProcessLauncher;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of starting a script on the agent, from the start of the process to its exit with its
 * output read to the end, step by step (docs/performance.md, section D). The script is {@code
 * true}; each step adds one part of what {@link LocalProcessLauncher} does:
 *
 * <ul>
 *   <li>{@code sh}: {@code /bin/sh -c true}, the floor;
 *   <li>{@code setsid}: {@code setsid /bin/sh -c true}, a session of its own;
 *   <li>{@code gateExec}: {@code setsid}, a shell waiting at a gate that then {@code exec}s {@code
 *       /bin/sh <script>} (how the launcher ran a script without {@code #!} before: three
 *       programs);
 *   <li>{@code gateSource}: {@code setsid}, a shell waiting at a gate that then reads the script
 *       itself (two programs);
 *   <li>{@code launcher}: {@link LocalProcessLauncher#launch} with everything around it (work
 *       directory, script file, output taken over, cgroup where available), and {@code close}.
 * </ul>
 *
 * <p>The JDK's own way of starting processes is chosen with {@code -jvmArgsAppend
 * -Djdk.lang.Process.launchMechanism=VFORK} (the default on Linux is {@code POSIX_SPAWN}, which
 * goes through the {@code jspawnhelper} program: one more {@code exec} per process).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LaunchBench {

  private static final String SETSID = "/usr/bin/setsid";
  private static final String SHELL = "/bin/sh";
  private static final String GATE_EXEC = "IFS= read -r go || exit 125; exec \"$@\" </dev/null";
  private static final String GATE_SOURCE =
      "IFS= read -r go || exit 125; unset go; exec </dev/null; . \"$0\"";

  @Param({"sh", "setsid", "gateExec", "gateSource", "launcher"})
  public String step;

  private Path dir;
  private Path script;
  private List<String> command;
  private boolean gated;
  private LocalProcessLauncher launcher;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    dir = Files.createTempDirectory("mschedule-launch-bench");
    script = dir.resolve("script");
    Files.writeString(script, "true\n");
    command = new ArrayList<>();
    switch (step) {
      case "sh" -> command.addAll(List.of(SHELL, "-c", "true"));
      case "setsid" -> command.addAll(List.of(SETSID, SHELL, "-c", "true"));
      case "gateExec" ->
          command.addAll(List.of(SETSID, SHELL, "-c", GATE_EXEC, "gate", SHELL, script.toString()));
      case "gateSource" ->
          command.addAll(List.of(SETSID, SHELL, "-c", GATE_SOURCE, script.toString()));
      case "launcher" -> launcher = new LocalProcessLauncher();
      default -> throw new IllegalArgumentException("unknown step " + step);
    }
    gated = step.startsWith("gate");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Benchmark
  public int launchToExit() throws Exception {
    if (launcher != null) {
      try (LaunchedProcess process =
          launcher.launch(
              new LaunchRequest(
                  "bench", "true\n".getBytes(StandardCharsets.UTF_8), Map.of(), dir))) {
        process.output().readAllBytes();
        process.errorOutput().readAllBytes();
        if (!process.waitFor(Duration.ofSeconds(30))) {
          throw new IllegalStateException("true did not end within 30 s");
        }
        return process.exitCode();
      }
    }
    Process process = new ProcessBuilder(command).directory(dir.toFile()).start();
    try (OutputStream stdin = process.getOutputStream()) {
      if (gated) {
        stdin.write('\n');
      }
    }
    process.getInputStream().readAllBytes();
    process.getErrorStream().readAllBytes();
    int code = process.waitFor();
    if (code != 0) {
      throw new IllegalStateException(step + " exited with " + code);
    }
    return code;
  }
}
