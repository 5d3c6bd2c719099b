package io.mschedule.agent.runner;

import static io.mschedule.agent.process.TestProcesses.withCommandLineContaining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mschedule.agent.process.ProcessLauncher;
import io.mschedule.agent.process.TestLaunchers;
import io.mschedule.agent.process.TestProcesses;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kill and timeout reach processes that left the script's session (setsid, double fork), both with
 * a cgroup per run and with the environment sweep, and end the run within the kill grace plus 2 s.
 */
class EscapingProcessesTest {

  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Duration GRACE = Duration.ofSeconds(1);
  private static final Duration BOUND = GRACE.plusSeconds(2);
  private static final List<String> MARKERS =
      List.of("sleep 3061", "sleep 3062", "sleep 3063", "sleep 3064");

  @TempDir Path root;
  private RunManager manager;

  static Stream<Arguments> launchers() {
    return Stream.of(
        Arguments.of("cgroup", (Supplier<ProcessLauncher>) TestLaunchers::withCgroups),
        Arguments.of("environment", (Supplier<ProcessLauncher>) TestLaunchers::withoutCgroups));
  }

  @AfterEach
  void tearDown() {
    if (manager != null) {
      manager.shutdown();
    }
    MARKERS.forEach(TestProcesses::killAll);
  }

  private RecordingListener start(Supplier<ProcessLauncher> launchers, RunSpec spec) {
    ProcessLauncher launcher = launchers.get();
    Assumptions.assumeTrue(launcher != null, "cgroups cannot be made here");
    manager =
        new RunManager(
            launcher,
            RunnerOptions.defaults().withWorkDirRoot(root).withKillGrace(GRACE),
            Clock.systemUTC());
    var listener = new RecordingListener();
    assertThat(manager.start(spec, listener)).isTrue();
    await()
        .atMost(LONG)
        .until(() -> MARKERS.stream().anyMatch(m -> !withCommandLineContaining(m).isEmpty()));
    return listener;
  }

  private static String daemon(String marker, boolean ignoringTerm) {
    String trap = ignoringTerm ? "trap \\\"\\\" TERM; " : "";
    return "(setsid sh -c \""
        + trap
        + marker
        + "; true\" >/dev/null 2>&1 </dev/null &)\n"
        + "(setsid sh -c \""
        + trap
        + marker
        + "; true\" &)\n";
  }

  private static void awaitRunning(String... markers) {
    await()
        .atMost(LONG)
        .until(
            () -> {
              for (String m : markers) {
                if (withCommandLineContaining(m).isEmpty()) {
                  return false;
                }
              }
              return true;
            });
  }

  private static void assertNoneLeft(String... markers) {
    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              for (String m : markers) {
                assertThat(withCommandLineContaining(m)).as(m).isEmpty();
              }
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("launchers")
  void kill_reaches_a_double_forked_daemon_and_returns_in_time(
      String name, Supplier<ProcessLauncher> launchers) {
    var listener =
        start(launchers, RunSpec.of("t-daemon", daemon("sleep 3061", false) + "sleep 3062\n"));
    awaitRunning("sleep 3061", "sleep 3062");
    assertThat(withCommandLineContaining("sleep 3061").get(0).parent().map(ProcessHandle::pid))
        .as("the daemon left the script's tree")
        .isNotEqualTo(
            withCommandLineContaining("sleep 3062").get(0).parent().map(ProcessHandle::pid));

    long start = System.nanoTime();
    manager.kill("t-daemon");
    var result = listener.awaitResult(LONG);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
    assertThat(result.status()).isEqualTo(RunStatus.KILLED);
    assertNoneLeft("sleep 3061", "sleep 3062");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("launchers")
  void timeout_reaches_a_double_forked_daemon_and_returns_in_time(
      String name, Supplier<ProcessLauncher> launchers) {
    var listener =
        start(
            launchers,
            RunSpec.of("t-daemon-timeout", daemon("sleep 3063", false) + "sleep 3064\n")
                .withTimeout(Duration.ofSeconds(2)));
    awaitRunning("sleep 3063", "sleep 3064");

    var result = listener.awaitResult(LONG);

    assertThat(result.status()).isEqualTo(RunStatus.TIMED_OUT);
    assertThat(Duration.ofMillis(result.finishedAtMillis() - result.startedAtMillis()))
        .isLessThan(Duration.ofSeconds(2).plus(BOUND));
    assertNoneLeft("sleep 3063", "sleep 3064");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("launchers")
  void kill_sigkills_a_term_ignoring_script_and_daemon_after_the_grace(
      String name, Supplier<ProcessLauncher> launchers) {
    var listener =
        start(
            launchers,
            RunSpec.of("t-trap", "trap '' TERM\n" + daemon("sleep 3061", true) + "sleep 3062\n"));
    awaitRunning("sleep 3061", "sleep 3062");

    long start = System.nanoTime();
    manager.kill("t-trap");
    var result = listener.awaitResult(LONG);

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isGreaterThanOrEqualTo(GRACE).isLessThan(BOUND);
    assertThat(result.status()).isEqualTo(RunStatus.KILLED);
    assertThat(result.code()).isEqualTo(137);
    assertNoneLeft("sleep 3061", "sleep 3062");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("launchers")
  void timeout_sigkills_a_term_ignoring_script_and_daemon_after_the_grace(
      String name, Supplier<ProcessLauncher> launchers) {
    var listener =
        start(
            launchers,
            RunSpec.of(
                    "t-trap-timeout",
                    "trap '' TERM\n" + daemon("sleep 3063", true) + "sleep 3064\n")
                .withTimeout(Duration.ofSeconds(2)));
    awaitRunning("sleep 3063", "sleep 3064");

    var result = listener.awaitResult(LONG);

    assertThat(result.status()).isEqualTo(RunStatus.TIMED_OUT);
    assertThat(result.code()).isEqualTo(137);
    assertThat(Duration.ofMillis(result.finishedAtMillis() - result.startedAtMillis()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2).plus(GRACE))
        .isLessThan(Duration.ofSeconds(2).plus(BOUND));
    assertNoneLeft("sleep 3063", "sleep 3064");
  }
}
