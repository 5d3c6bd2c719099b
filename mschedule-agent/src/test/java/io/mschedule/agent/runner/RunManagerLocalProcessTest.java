package io.mschedule.agent.runner;

import static io.mschedule.agent.process.TestProcesses.withCommandLineContaining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mschedule.agent.process.LocalProcessLauncher;
import io.mschedule.agent.process.TestProcesses;
import io.mschedule.protocol.message.StdStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The run manager with real {@code /bin/sh} processes. */
class RunManagerLocalProcessTest {

  /** Every sleep these tests start has a number of its own, so it can be found and checked. */
  private static final String[] MARKERS = {
    "sleep 3017", "sleep 3018", "sleep 3019", "sleep 3022", "sleep 3023", "sleep 3024",
    "sleep 3025", "sleep 3026", "sleep 3027", "sleep 3028", "sleep 3029", "sleep 3030",
    "sleep 3031", "sleep 3032", "sleep 3033", "sleep 3034"
  };

  private static final Duration LONG = Duration.ofSeconds(30);

  @TempDir Path root;
  private RunnerOptions options;
  private RunManager manager;

  @BeforeEach
  void setUp() {
    options = RunnerOptions.defaults().withWorkDirRoot(root);
    manager = new RunManager(new LocalProcessLauncher(), options, Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    manager.shutdown();
    for (String marker : MARKERS) {
      TestProcesses.killAll(marker);
    }
  }

  private RecordingListener run(String script) {
    return run(RunSpec.of("task-" + System.nanoTime(), script));
  }

  private RecordingListener run(RunSpec spec) {
    var listener = new RecordingListener();
    assertThat(manager.start(spec, listener)).isTrue();
    return listener;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private void assertWorkDirsGone() throws IOException {
    try (Stream<Path> entries = Files.list(root)) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  void stdout_and_stderr_stay_apart_in_chunks_and_result_in_the_order_written() {
    var listener = new RecordingListener();
    assertThat(
            manager.start(
                RunSpec.of(
                    "t-streams",
                    "echo one\nsleep 0.2\necho two >&2\nsleep 0.2\nprintf 'caf\\351\\n'\n"),
                listener))
        .isTrue();
    var result = listener.awaitResult();

    byte[] latin1 = "one\ntwo\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(result.output()).isEqualTo(latin1);
    assertThat(result.streams().runs()).containsExactly(4, 4, 5);
    assertThat(listener.chunkBytes()).isEqualTo(latin1);
    assertThat(text(listener.stderrChunkBytes())).isEqualTo("two\n");
    assertThat(listener.violations()).isEmpty();
  }

  @Test
  void exit_code_and_output_of_stdout_and_stderr_are_reported() throws IOException {
    var result = run("echo hello\necho oops >&2\necho again\nexit 3\n").awaitResult();

    assertThat(result.status()).isEqualTo(RunStatus.EXITED);
    assertThat(result.code()).isEqualTo(3);
    assertThat(text(result.streams().select(result.output(), StdStream.STDOUT)))
        .isEqualTo("hello\nagain\n");
    assertThat(text(result.streams().select(result.output(), StdStream.STDERR)))
        .isEqualTo("oops\n");
    assertThat(result.truncated()).isFalse();
    assertThat(result.outputBytes()).isEqualTo(17);
    assertThat(result.error()).isNull();
    assertThat(result.finishedAtMillis()).isGreaterThanOrEqualTo(result.startedAtMillis());
    assertWorkDirsGone();
  }

  @Test
  void the_spec_environment_is_added_to_the_inherited_one() {
    var spec =
        new RunSpec(
            "t-env",
            "echo \"$MSCHEDULE_TASK_ID $MSCHEDULE_AGENT_ID $MSCHEDULE_HOSTNAME path=${PATH:+set}\"\n"
                .getBytes(StandardCharsets.UTF_8),
            Duration.ZERO,
            Map.of(
                "MSCHEDULE_TASK_ID", "t-env",
                "MSCHEDULE_AGENT_ID", "agent-1",
                "MSCHEDULE_HOSTNAME", "web-01"));

    var result = run(spec).awaitResult();

    assertThat(text(result.output())).isEqualTo("t-env agent-1 web-01 path=set\n");
  }

  @Test
  void each_run_works_in_a_fresh_temporary_directory_that_is_removed_afterwards()
      throws IOException {
    String script = "pwd\nls | wc -l\ntouch made-by-script\nmkdir -p sub/dir\n";
    var first = run(script).awaitResult();
    var second = run(script).awaitResult();

    String[] firstLines = text(first.output()).split("\n");
    String[] secondLines = text(second.output()).split("\n");
    Path firstDir = Path.of(firstLines[0]);
    assertThat(firstDir.getParent()).isEqualTo(root.toRealPath());
    assertThat(firstDir.getFileName().toString()).startsWith("mschedule-run-");
    assertThat(firstLines[1].trim()).isEqualTo("0");
    assertThat(secondLines[0]).isNotEqualTo(firstLines[0]);
    assertThat(firstDir).doesNotExist();
    assertWorkDirsGone();
  }

  @Test
  void stdin_is_at_end_of_file() {
    var result = run("cat\necho read-done\n").awaitResult(LONG);
    assertThat(text(result.output())).isEqualTo("read-done\n");
  }

  @Test
  void a_bash_shebang_is_honoured() {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs /bin/bash");
    var result = run("#!/bin/bash\necho \"bash ${BASH_VERSINFO[0]} $0\"\n").awaitResult();

    assertThat(result.code()).isZero();
    assertThat(text(result.output())).startsWith("bash ").contains(".mschedule-script");
  }

  @Test
  void an_env_shebang_with_an_argument_is_honoured() {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/perl")), "needs perl");
    var result = run("#!/usr/bin/env perl\nprint \"perl says \", 6 * 7, \"\\n\";\n").awaitResult();

    assertThat(result.status()).isEqualTo(RunStatus.EXITED);
    assertThat(text(result.output())).isEqualTo("perl says 42\n");
  }

  @Test
  void a_missing_interpreter_is_failed_to_start_not_an_exit_code() throws IOException {
    var result = run("#!/nonexistent/interp\necho never\n").awaitResult();

    assertThat(result.status()).isEqualTo(RunStatus.FAILED_TO_START);
    assertThat(result.code()).isEqualTo(-1);
    assertThat(result.error()).contains("/nonexistent/interp").contains("does not exist");
    assertThat(result.output()).isEmpty();
    assertWorkDirsGone();
  }

  @Test
  void a_work_directory_that_cannot_be_made_is_failed_to_start() throws IOException {
    Path notADirectory = Files.writeString(root.resolve("plain-file"), "x");
    manager.shutdown();
    manager =
        new RunManager(
            new LocalProcessLauncher(),
            options.withWorkDirRoot(notADirectory.resolve("below")),
            Clock.systemUTC());

    var result = run("echo never\n").awaitResult();

    assertThat(result.status()).isEqualTo(RunStatus.FAILED_TO_START);
    assertThat(result.code()).isEqualTo(-1);
    assertThat(result.error()).startsWith("cannot create a work directory under ");
  }

  @Test
  void a_script_over_its_timeout_is_timed_out_and_leaves_no_process() {
    var listener = run(RunSpec.of("t-timeout", "sleep 3017\n").withTimeout(Duration.ofSeconds(1)));

    var result = listener.awaitResult(LONG);

    assertThat(result.status()).isEqualTo(RunStatus.TIMED_OUT);
    assertThat(result.code()).isEqualTo(143);
    assertThat(result.error()).isEqualTo("timed out after 1s");
    assertThat(result.finishedAtMillis() - result.startedAtMillis()).isBetween(900L, 5_000L);
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> withCommandLineContaining("sleep 3017").isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "sleep 3018 & sleep 3019",
        "sleep 3022 & exec sleep 3023",
        "sleep 3024 & sleep 3025 & wait",
        "(sleep 3026 &); sleep 3027"
      })
  void kill_takes_down_the_whole_process_tree_and_reports_killed(String script) {
    String[] markers =
        Arrays.stream(script.split("[;&]"))
            .map(String::trim)
            .map(s -> s.replace("exec ", ""))
            .filter(s -> s.startsWith("sleep") || s.startsWith("(sleep"))
            .map(s -> s.replace("(", ""))
            .toArray(String[]::new);
    assertThat(markers).hasSize(2);
    var listener = run(RunSpec.of("t-kill", script + "\n"));
    await()
        .atMost(LONG)
        .until(
            () -> Arrays.stream(markers).allMatch(m -> withCommandLineContaining(m).size() == 1));

    assertThat(manager.kill("t-kill")).isTrue();

    var result = listener.awaitResult(LONG);
    assertThat(result.status()).isEqualTo(RunStatus.KILLED);
    assertThat(result.code()).isIn(143, 137);
    assertThat(result.error()).isEqualTo("killed on request");
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> Arrays.stream(markers).allMatch(m -> withCommandLineContaining(m).isEmpty()));
  }

  @Test
  void kill_also_ends_a_detached_background_process_that_ignores_term() {
    var listener =
        run(
            RunSpec.of(
                "t-detached", "(trap '' TERM; exec sleep 3032) >/dev/null 2>&1 &\nsleep 3033\n"));
    await()
        .atMost(LONG)
        .until(
            () ->
                withCommandLineContaining("sleep 3032").size() == 1
                    && withCommandLineContaining("sleep 3033").size() == 1);

    manager.kill("t-detached");

    var result = listener.awaitResult(LONG);
    assertThat(result.status()).isEqualTo(RunStatus.KILLED);
    assertThat(result.code()).isEqualTo(143);
    await()
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                withCommandLineContaining("sleep 3032").isEmpty()
                    && withCommandLineContaining("sleep 3033").isEmpty());
  }

  @Test
  void output_is_streamed_while_the_script_runs() {
    var listener = run(RunSpec.of("t-stream", "echo first\nsleep 3034\n"));

    await().atMost(LONG).until(() -> listener.chunks() > 0);
    assertThat(text(listener.chunkBytes())).isEqualTo("first\n");
    assertThat(listener.result()).isNull();

    manager.kill("t-stream");
    assertThat(text(listener.awaitResult(LONG).output())).isEqualTo("first\n");
    assertThat(listener.violations()).isEmpty();
  }

  @Test
  void a_script_that_ignores_term_is_killed_after_the_grace() {
    manager.shutdown();
    manager =
        new RunManager(
            new LocalProcessLauncher(),
            options.withKillGrace(Duration.ofMillis(500)),
            Clock.systemUTC());
    var listener = run(RunSpec.of("t-trap", "trap '' TERM\nsleep 3028\n"));
    await().atMost(LONG).until(() -> withCommandLineContaining("sleep 3028").size() == 1);

    long start = System.nanoTime();
    manager.kill("t-trap");

    var result = listener.awaitResult(LONG);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(500));
    assertThat(result.status()).isEqualTo(RunStatus.KILLED);
    assertThat(result.code()).isEqualTo(137);
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> withCommandLineContaining("sleep 3028").isEmpty());
  }

  @Test
  void background_processes_holding_the_output_are_stopped_after_the_drain() {
    manager.shutdown();
    manager =
        new RunManager(
            new LocalProcessLauncher(),
            options.withOutputDrain(Duration.ofMillis(300)),
            Clock.systemUTC());

    var result = run("sleep 3029 &\necho started\n").awaitResult(LONG);

    assertThat(result.status()).isEqualTo(RunStatus.EXITED);
    assertThat(result.code()).isZero();
    assertThat(text(result.output())).isEqualTo("started\n");
    assertThat(result.error()).contains("kept its output open");
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> withCommandLineContaining("sleep 3029").isEmpty());
  }

  @Test
  void background_processes_that_closed_the_output_are_left_running() {
    var result = run("nohup sleep 3030 >/dev/null 2>&1 &\necho started\n").awaitResult(LONG);

    assertThat(result.status()).isEqualTo(RunStatus.EXITED);
    assertThat(result.error()).isNull();
    assertThat(text(result.output())).isEqualTo("started\n");
    assertThat(withCommandLineContaining("sleep 3030")).hasSize(1);
  }

  @Test
  void running_reflects_the_runs_and_a_duplicate_start_is_refused() {
    var listener = run(RunSpec.of("t-dup", "sleep 3031\n"));
    assertThat(manager.running()).containsExactly("t-dup");
    assertThat(manager.start(RunSpec.of("t-dup", "echo again\n"), new RecordingListener()))
        .isFalse();

    manager.kill("t-dup");
    listener.awaitResult(LONG);

    await().atMost(LONG).until(() -> manager.running().isEmpty());
    assertThat(manager.start(RunSpec.of("t-dup", "echo again\n"), new RecordingListener()))
        .isFalse();
  }

  @ParameterizedTest(name = "{0} lines")
  @ValueSource(ints = {800_000, 7_000_000}) // about 5.5 MiB and 56 MiB
  void huge_output_is_kept_bounded_exact_and_streamed_whole(int lines) {
    var listener = new RecordingListener(false);
    assertThat(manager.start(RunSpec.of("t-seq", "seq 1 " + lines + "\n"), listener)).isTrue();

    var result = listener.awaitResult(Duration.ofSeconds(60));

    var expected = new SeqOutput(lines);
    int max = options.maxOutputBytes();
    int tail = options.effectiveTailBytes();
    byte[] marker = OutputCapture.marker(expected.size - max);
    byte[] out = result.output();
    assertThat(result.status()).isEqualTo(RunStatus.EXITED);
    assertThat(result.code()).isZero();
    assertThat(result.truncated()).isTrue();
    assertThat(result.outputBytes()).isEqualTo(expected.size);
    assertThat(out).hasSize(max + marker.length);
    assertThat(Arrays.copyOfRange(out, 0, max - tail)).isEqualTo(expected.head(max - tail));
    assertThat(Arrays.copyOfRange(out, max - tail, max - tail + marker.length)).isEqualTo(marker);
    assertThat(Arrays.copyOfRange(out, out.length - tail, out.length))
        .isEqualTo(expected.tail(tail));
    assertThat(listener.chunkTotal()).isEqualTo(expected.size);
    assertThat(listener.chunkCrc()).isEqualTo(expected.crc);
    assertThat(listener.violations()).isEmpty();
  }

  /** What {@code seq 1 n} prints: its size, checksum, head and tail. */
  private static final class SeqOutput {
    final int lines;
    final long size;
    final long crc;

    SeqOutput(int lines) {
      this.lines = lines;
      var crc32 = new CRC32();
      long total = 0;
      var buffer = new StringBuilder();
      for (int i = 1; i <= lines; i++) {
        buffer.append(i).append('\n');
        if (buffer.length() > 60_000 || i == lines) {
          byte[] bytes = buffer.toString().getBytes(StandardCharsets.US_ASCII);
          crc32.update(bytes);
          total += bytes.length;
          buffer.setLength(0);
        }
      }
      this.size = total;
      this.crc = crc32.getValue();
    }

    byte[] head(int n) {
      var sb = new StringBuilder();
      for (int i = 1; sb.length() < n; i++) {
        sb.append(i).append('\n');
      }
      return Arrays.copyOf(sb.toString().getBytes(StandardCharsets.US_ASCII), n);
    }

    byte[] tail(int n) {
      var sb = new StringBuilder();
      for (int i = lines; sb.length() < n; i--) {
        sb.insert(0, i + "\n");
      }
      byte[] bytes = sb.toString().getBytes(StandardCharsets.US_ASCII);
      return Arrays.copyOfRange(bytes, bytes.length - n, bytes.length);
    }
  }
}
