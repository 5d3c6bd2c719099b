package io.mschedule.agent.process;

import static io.mschedule.agent.process.TestProcesses.withCommandLineContaining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local launcher with real processes. */
class LocalProcessLauncherTest {

  private static final Duration LONG = Duration.ofSeconds(30);
  private static final String[] MARKERS = {
    "sleep 3040", "sleep 3041", "sleep 3042", "sleep 3043", "sleep 3044", "sleep 3045", "sleep 3046"
  };

  @TempDir Path root;
  private final LocalProcessLauncher launcher = new LocalProcessLauncher();

  @AfterEach
  void killLeftovers() {
    for (String marker : MARKERS) {
      TestProcesses.killAll(marker);
    }
  }

  private LaunchRequest request(String script) {
    return new LaunchRequest("t1", script.getBytes(StandardCharsets.UTF_8), Map.of(), root);
  }

  private void assertWorkDirsGone() throws IOException {
    try (Stream<Path> entries = Files.list(root)) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  void a_script_runs_in_a_session_and_process_group_of_its_own() throws Exception {
    Assumptions.assumeTrue(launcher.usesSessions(), "needs setsid");
    try (var process = launcher.launch(request("sleep 3040\n"))) {
      await().atMost(LONG).until(() -> withCommandLineContaining("sleep 3040").size() == 1);
      assertThat(ProcessTree.sessionOf(process.pid())).isEqualTo(process.pid());
      var sleep = withCommandLineContaining("sleep 3040").get(0);
      assertThat(ProcessTree.sessionOf(sleep.pid())).isEqualTo(process.pid());
      process.forceKill();
      assertThat(process.waitFor(LONG)).isTrue();
      assertThat(process.exitCode()).isEqualTo(137);
    }
    assertWorkDirsGone();
  }

  @Test
  void a_script_without_an_interpreter_line_is_run_by_the_gate_shell_itself() throws Exception {
    String script =
        "tr '\\0' ' ' </proc/$$/cmdline; echo; echo \"$0|$#|${mschedule_gate-none}|$go\"\n"
            + "cat; exit 7\n";
    var request =
        new LaunchRequest(
            "t1", script.getBytes(StandardCharsets.UTF_8), Map.of("go", "kept"), root);
    try (var process = launcher.launch(request)) {
      String output = new String(process.output().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(LONG)).isTrue();
      assertThat(process.exitCode()).isEqualTo(7);
      var lines = output.lines().toList();
      // one shell: the one that waited at the gate reads the script (no second /bin/sh)
      assertThat(lines.get(0)).startsWith("/bin/sh -c ").contains(". \"$0\"");
      // the script sees what `/bin/sh <file>` would give it; stdin is at end of file
      String[] fields = lines.get(1).split("\\|", -1);
      assertThat(Path.of(fields[0]).getFileName().toString())
          .isEqualTo(LocalProcessLauncher.SCRIPT_FILE_NAME);
      assertThat(Path.of(fields[0]).getParent().getParent()).isEqualTo(root);
      assertThat(fields).containsExactly(fields[0], "0", "none", "kept");
      assertThat(lines).hasSize(2);
    }
  }

  @Test
  void a_script_with_an_interpreter_line_keeps_its_own_program() throws Exception {
    try (var process =
        launcher.launch(
            request("#!/bin/sh -e\ntr '\\0' ' ' </proc/$$/cmdline\nfalse\necho no\n"))) {
      String output = new String(process.output().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(LONG)).isTrue();
      assertThat(process.exitCode()).isEqualTo(1);
      assertThat(output)
          .startsWith("/bin/sh -e " + root)
          .contains(LocalProcessLauncher.SCRIPT_FILE_NAME);
      assertThat(output.lines()).doesNotContain("no");
    }
  }

  @Test
  void the_output_lasts_until_background_processes_close_it() throws Exception {
    try (var process = launcher.launch(request("(sleep 0.3; echo late) &\necho early\n"))) {
      String output = new String(process.output().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(output).isEqualTo("early\nlate\n");
      assertThat(process.waitFor(LONG)).isTrue();
      assertThat(process.exitCode()).isZero();
    }
  }

  @Test
  void terminate_ends_a_script_with_143() throws Exception {
    try (var process = launcher.launch(request("sleep 3044\n"))) {
      await().atMost(LONG).until(() -> withCommandLineContaining("sleep 3044").size() == 1);
      process.terminate();
      assertThat(process.waitFor(LONG)).isTrue();
      assertThat(process.exitCode()).isEqualTo(143);
      await().atMost(LONG).until(() -> withCommandLineContaining("sleep 3044").isEmpty());
    }
  }

  @Test
  void a_stop_after_the_script_exited_reaches_what_it_left_in_the_background() throws Exception {
    Assumptions.assumeTrue(launcher.usesSessions(), "needs setsid");
    try (var process = launcher.launch(request("(sleep 3043 >/dev/null 2>&1 &)\n"))) {
      assertThat(process.waitFor(LONG)).isTrue();
      await().atMost(LONG).until(() -> withCommandLineContaining("sleep 3043").size() == 1);

      process.forceKill();

      await()
          .atMost(Duration.ofSeconds(2))
          .until(() -> withCommandLineContaining("sleep 3043").isEmpty());
    }
  }

  @Test
  void without_setsid_the_descendants_are_stopped_while_the_script_runs() throws Exception {
    var plain = LocalProcessLauncher.withoutSessions();
    try (var process = plain.launch(request("sleep 3041 & sleep 3042\n"))) {
      await()
          .atMost(LONG)
          .until(
              () ->
                  withCommandLineContaining("sleep 3041").size() == 1
                      && withCommandLineContaining("sleep 3042").size() == 1);
      process.terminate();
      assertThat(process.waitFor(LONG)).isTrue();
      await()
          .atMost(Duration.ofSeconds(2))
          .until(
              () ->
                  withCommandLineContaining("sleep 3041").isEmpty()
                      && withCommandLineContaining("sleep 3042").isEmpty());
    }
  }

  @Test
  void close_releases_a_reader_blocked_on_output_held_by_a_background_process() throws Exception {
    var process = launcher.launch(request("sleep 3045 &\nexit 0\n"));
    assertThat(process.waitFor(LONG)).isTrue();
    var reader =
        new Thread(
            () -> {
              try {
                process.output().readAllBytes();
              } catch (IOException e) {
                // expected: closed under it
              }
            });
    reader.start();
    await().atMost(LONG).until(() -> reader.getState() != Thread.State.NEW);

    process.close();

    reader.join(LONG.toMillis());
    assertThat(reader.isAlive()).isFalse();
    assertWorkDirsGone();
  }

  @Test
  void the_script_waits_until_the_gate_lets_it_go(@TempDir Path out) throws Exception {
    Path ran = out.resolve("ran");
    CountDownLatch atGate = new CountDownLatch(1);
    CountDownLatch letGo = new CountDownLatch(1);
    LaunchRequest request =
        new LaunchRequest(
            "t1",
            ("sleep 3046 </dev/null >/dev/null 2>&1 & touch '" + ran + "'\n")
                .getBytes(StandardCharsets.UTF_8),
            Map.of(),
            root,
            Map.of(),
            () -> {
              atGate.countDown();
              letGo.await();
            });
    CompletableFuture<LaunchedProcess> launch =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return launcher.launch(request);
              } catch (LaunchException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(atGate.await(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
    // the process is there, waiting: nothing of the script has run
    await()
        .during(Duration.ofMillis(300))
        .atMost(LONG)
        .until(() -> !Files.exists(ran) && withCommandLineContaining("sleep 3046").isEmpty());
    letGo.countDown();
    try (LaunchedProcess process = launch.get(LONG.toSeconds(), TimeUnit.SECONDS)) {
      process.output().readAllBytes();
      assertThat(process.waitFor(LONG)).isTrue();
      assertThat(process.exitCode()).isZero();
    }
    assertThat(ran).exists();
  }

  @Test
  void a_gate_that_fails_ends_the_process_without_running_the_script(@TempDir Path out)
      throws IOException {
    Path ran = out.resolve("ran");
    LaunchRequest request =
        new LaunchRequest(
            "t1",
            ("touch '" + ran + "'\n").getBytes(StandardCharsets.UTF_8),
            Map.of(),
            root,
            Map.of(),
            () -> {
              throw new IOException("disk full: no marker; so it did not run it");
            });
    assertThatThrownBy(() -> launcher.launch(request))
        .isInstanceOf(LaunchException.class)
        .hasMessage("disk full: no marker; so it did not run it");
    await()
        .atMost(LONG)
        .until(() -> withCommandLineContaining(LocalProcessLauncher.SOURCE_GATE).isEmpty());
    assertThat(ran).doesNotExist();
    assertWorkDirsGone();
  }

  @Test
  void others_alive_tells_a_finished_script_from_one_that_left_a_process_behind() throws Exception {
    Assumptions.assumeTrue(
        launcher.usesSessions() || launcher.usesCgroups(), "needs setsid or cgroups");
    try (var process = launcher.launch(request("echo done\n"))) {
      process.output().readAllBytes();
      assertThat(process.waitFor(LONG)).isTrue();
      assertThat(process.othersAlive()).isFalse();
    }
    try (var process = launcher.launch(request("sleep 3046 >/dev/null 2>&1 &\n"))) {
      assertThat(process.waitFor(LONG)).isTrue();
      assertThat(process.othersAlive()).isTrue();
      process.forceKill();
      await().atMost(LONG).until(() -> !process.othersAlive());
    }
    // without cgroups: a process that left the session is still found by the run's token
    LocalProcessLauncher noCgroups = LocalProcessLauncher.withoutCgroups();
    try (var process = noCgroups.launch(request("setsid sleep 3046 >/dev/null 2>&1 &\n"))) {
      assertThat(process.waitFor(LONG)).isTrue();
      await().atMost(LONG).until(() -> withCommandLineContaining("sleep 3046").size() == 1);
      assertThat(process.othersAlive()).isTrue();
      process.forceKill();
      await().atMost(LONG).until(() -> !process.othersAlive());
    }
  }

  @Test
  void a_failed_launch_says_why_and_leaves_no_work_directory() throws IOException {
    assertThatThrownBy(() -> launcher.launch(request("#!/nonexistent/interp\necho never\n")))
        .isInstanceOf(LaunchException.class)
        .hasMessage("interpreter /nonexistent/interp from the script's #! line does not exist");
    assertThatThrownBy(() -> launcher.launch(request("#!/bin/sh\r\necho never\r\n")))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("Windows line endings");
    assertThatThrownBy(() -> launcher.launch(request("#!" + root + "\n")))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("is not an executable file");
    assertThatThrownBy(() -> launcher.launch(request("#!\n")))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("names no interpreter");
    assertWorkDirsGone();
  }

  @Test
  void close_removes_the_work_directory_even_when_the_script_locked_parts_of_it() throws Exception {
    var process =
        launcher.launch(request("mkdir -p a/b && touch a/b/f && chmod 000 a/b && chmod 500 a\n"));
    assertThat(process.waitFor(LONG)).isTrue();
    assertThat(process.exitCode()).isZero();

    process.close();

    assertWorkDirsGone();
  }

  @Test
  void each_run_has_a_cgroup_of_its_own_that_is_removed_and_leaves_daemons_running()
      throws Exception {
    Assumptions.assumeTrue(launcher.usesCgroups(), "needs a writable cgroup v2 hierarchy");
    String own = Files.readString(Path.of("/proc/self/cgroup"));
    Path runCgroup;
    try (var process =
        launcher.launch(
            request("nohup sleep 3046 >/dev/null 2>&1 &\ngrep '^0::' /proc/self/cgroup\n"))) {
      String output = new String(process.output().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(process.waitFor(LONG)).isTrue();
      assertThat(output).contains("/" + Cgroups.PREFIX).isNotIn(own.lines().toList());
      runCgroup =
          Cgroups.detect().orElseThrow().base().resolve(Path.of(output).getFileName().toString());
      assertThat(runCgroup).isDirectory();
    }
    assertThat(runCgroup).doesNotExist();
    assertThat(withCommandLineContaining("sleep 3046")).hasSize(1);
  }

  @Test
  void every_run_has_a_run_token_of_its_own_in_its_environment() throws Exception {
    String first;
    String second;
    try (var process = launcher.launch(request("echo $MSCHEDULE_RUN_TOKEN\n"))) {
      first = new String(process.output().readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    try (var process = launcher.launch(request("echo $MSCHEDULE_RUN_TOKEN\n"))) {
      second = new String(process.output().readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    assertThat(first).matches("[0-9a-f]{32}");
    assertThat(second).matches("[0-9a-f]{32}").isNotEqualTo(first);
  }
}
