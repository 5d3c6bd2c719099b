package io.mschedule.agent.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mschedule.agent.process.FakeProcessLauncher;
import io.mschedule.agent.process.FakeProcessLauncher.Behavior;
import io.mschedule.protocol.test.TestClock;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The run manager's behaviour, on scripted processes. */
class RunManagerTest {

  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  private final RunnerOptions options =
      RunnerOptions.defaults()
          .withWorkDirRoot(Path.of("/nonexistent-work-root"))
          .withKillGrace(Duration.ofMillis(300));
  private RunManager manager;

  private RunManager manager(FakeProcessLauncher launcher) {
    return manager(launcher, options);
  }

  private RunManager manager(FakeProcessLauncher launcher, RunnerOptions runnerOptions) {
    return manager(launcher, runnerOptions, CLOCK);
  }

  private RunManager manager(
      FakeProcessLauncher launcher, RunnerOptions runnerOptions, Clock clock) {
    manager = new RunManager(launcher, runnerOptions, clock);
    return manager;
  }

  @AfterEach
  void shutDown() {
    if (manager != null) {
      manager.shutdown();
    }
  }

  @Test
  void a_retry_of_a_finished_run_starts_and_a_repeated_order_of_it_is_ignored() {
    var launcher = FakeProcessLauncher.always(Behavior.exit(1));
    var runs = manager(launcher);
    var first = new RecordingListener();
    assertThat(runs.start(RunSpec.of("t1", "x"), first)).isTrue();
    assertThat(first.awaitResult().attempt()).isEqualTo(1);

    var second = new RecordingListener();
    RunSpec retry = new RunSpec("t1", "x".getBytes(), Duration.ZERO, Map.of(), List.of(), false, 2);
    assertThat(runs.start(RunSpec.of("t1", "x"), new RecordingListener())).isFalse();
    assertThat(runs.start(retry, second)).isTrue();
    var result = second.awaitResult();
    assertThat(result.taskId()).isEqualTo("t1");
    assertThat(result.attempt()).isEqualTo(2);
    assertThat(result.runKey()).isEqualTo("t1#2");
    assertThat(runs.start(retry, new RecordingListener())).isFalse();
    assertThat(launcher.launches()).hasSize(2);
  }

  @Test
  void a_kill_by_task_id_reaches_a_running_retry() {
    var launcher = FakeProcessLauncher.always(Behavior.runUntilStopped());
    var runs = manager(launcher);
    var listener = new RecordingListener();
    runs.start(
        new RunSpec("t1", "x".getBytes(), Duration.ZERO, Map.of(), List.of(), false, 3), listener);
    await().atMost(LONG).until(() -> launcher.launches().size() == 1);
    assertThat(runs.running()).containsExactly("t1");

    assertThat(runs.kill("t1")).isTrue();
    var result = listener.awaitResult();
    assertThat(result.status()).isEqualTo(RunStatus.KILLED);
    assertThat(result.attempt()).isEqualTo(3);
  }

  @Test
  void a_script_that_exits_reports_its_code_and_output() {
    var launcher = FakeProcessLauncher.always(Behavior.exit(3).withOutput("hello\n"));
    var runs = manager(launcher);
    var listener = new RecordingListener();

    assertThat(
            runs.start(
                new RunSpec("t1", "x".getBytes(), Duration.ZERO, Map.of("A", "b")), listener))
        .isTrue();

    var result = listener.awaitResult();
    assertThat(result.taskId()).isEqualTo("t1");
    assertThat(result.status()).isEqualTo(RunStatus.EXITED);
    assertThat(result.code()).isEqualTo(3);
    assertThat(result.output()).asString().isEqualTo("hello\n");
    assertThat(result.truncated()).isFalse();
    assertThat(result.outputBytes()).isEqualTo(6);
    assertThat(result.error()).isNull();
    assertThat(result.startedAtMillis()).isEqualTo(CLOCK.millis());
    assertThat(result.finishedAtMillis()).isEqualTo(CLOCK.millis());
    assertThat(listener.chunkBytes()).asString().isEqualTo("hello\n");
    assertThat(listener.violations()).isEmpty();
    var request = launcher.launches().get(0);
    assertThat(request.env()).containsEntry("A", "b");
    assertThat(request.workDirRoot()).isEqualTo(options.workDirRoot());
    await().atMost(LONG).until(() -> runs.running().isEmpty());
    assertThat(launcher.processes().get(0).isClosed()).isTrue();
  }

  @Test
  void a_launch_failure_is_failed_to_start_with_the_reason_and_no_code() {
    var runs = manager(FakeProcessLauncher.always(Behavior.failToStart("no such interpreter")));
    var listener = new RecordingListener();

    runs.start(RunSpec.of("t1", "x"), listener);

    var result = listener.awaitResult();
    assertThat(result.status()).isEqualTo(RunStatus.FAILED_TO_START);
    assertThat(result.code()).isEqualTo(-1);
    assertThat(result.error()).isEqualTo("no such interpreter");
    assertThat(result.output()).isEmpty();
  }

  @Test
  void a_task_id_that_is_running_or_has_run_is_refused() {
    var runs = manager(FakeProcessLauncher.always(Behavior.runUntilStopped()));
    var first = new RecordingListener();
    var second = new RecordingListener();

    assertThat(runs.start(RunSpec.of("t1", "x"), first)).isTrue();
    assertThat(runs.running()).containsExactly("t1");
    assertThat(runs.start(RunSpec.of("t1", "x"), second)).isFalse();

    assertThat(runs.kill("t1")).isTrue();
    first.awaitResult();
    await().atMost(LONG).until(() -> runs.running().isEmpty());

    assertThat(runs.start(RunSpec.of("t1", "x"), second)).isFalse();
    assertThat(second.result()).isNull();
    assertThat(runs.kill("t1")).isFalse();
  }

  @Test
  void only_the_most_recent_finished_ids_are_remembered() {
    var runs = manager(new FakeProcessLauncher(), options.withFinishedIdsRemembered(2));
    for (String id : new String[] {"a", "b", "c"}) {
      var listener = new RecordingListener();
      runs.start(RunSpec.of(id, "x"), listener);
      listener.awaitResult();
      await().atMost(LONG).until(() -> runs.running().isEmpty());
    }
    assertThat(runs.start(RunSpec.of("c", "x"), new RecordingListener())).isFalse();
    assertThat(runs.start(RunSpec.of("b", "x"), new RecordingListener())).isFalse();
    var again = new RecordingListener();
    assertThat(runs.start(RunSpec.of("a", "x"), again)).isTrue();
    again.awaitResult();
  }

  @Test
  void kill_sends_term_and_reports_killed_with_the_code_the_process_died_with() {
    var launcher = FakeProcessLauncher.always(Behavior.runUntilStopped().withOutput("working\n"));
    var runs = manager(launcher);
    var listener = new RecordingListener();
    runs.start(RunSpec.of("t1", "x"), listener);
    await().atMost(LONG).until(() -> listener.chunks() > 0);

    runs.kill("t1");

    var result = listener.awaitResult();
    assertThat(result.status()).isEqualTo(RunStatus.KILLED);
    assertThat(result.code()).isEqualTo(143);
    assertThat(result.error()).isEqualTo("killed on request");
    assertThat(result.output()).asString().isEqualTo("working\n");
    assertThat(launcher.processes().get(0).signals()).startsWith("TERM");
  }

  @Test
  void a_process_that_ignores_term_gets_kill_after_the_grace() {
    var launcher = FakeProcessLauncher.always(Behavior.runUntilStopped().ignoringTerm());
    var runs = manager(launcher);
    var listener = new RecordingListener();
    runs.start(RunSpec.of("t1", "x"), listener);
    await().atMost(LONG).until(() -> launcher.processes().size() == 1);

    long start = System.nanoTime();
    runs.kill("t1");

    var result = listener.awaitResult();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(options.killGrace());
    assertThat(result.status()).isEqualTo(RunStatus.KILLED);
    assertThat(result.code()).isEqualTo(137);
    assertThat(launcher.processes().get(0).signals()).containsExactly("TERM", "KILL");
  }

  @Test
  void a_run_over_its_timeout_is_stopped_and_reported_timed_out() {
    var clock = new TestClock(CLOCK.instant());
    var launcher = FakeProcessLauncher.always(Behavior.exit(0).lasting(Duration.ofMinutes(10)));
    var runs = manager(launcher, options, clock);
    var listener = new RecordingListener();

    runs.start(RunSpec.of("t1", "x").withTimeout(Duration.ofMinutes(5)), listener);
    await().atMost(LONG).until(() -> launcher.processes().size() == 1);
    clock.advance(Duration.ofMinutes(5));

    var result = listener.awaitResult();
    assertThat(result.status()).isEqualTo(RunStatus.TIMED_OUT);
    assertThat(result.code()).isEqualTo(143);
    assertThat(result.error()).isEqualTo("timed out after 5m");
    assertThat(result.finishedAtMillis() - result.startedAtMillis())
        .isEqualTo(Duration.ofMinutes(5).toMillis());
  }

  @Test
  void a_run_that_ends_before_its_timeout_exits_normally() {
    var runs = manager(FakeProcessLauncher.always(Behavior.exit(0).lasting(Duration.ofMillis(50))));
    var listener = new RecordingListener();

    runs.start(RunSpec.of("t1", "x").withTimeout(Duration.ofSeconds(60)), listener);

    assertThat(listener.awaitResult().status()).isEqualTo(RunStatus.EXITED);
  }

  @Test
  void output_is_streamed_while_the_script_runs() {
    var runs =
        manager(FakeProcessLauncher.always(Behavior.runUntilStopped().withOutput("step 1\n")));
    var listener = new RecordingListener();

    runs.start(RunSpec.of("t1", "x"), listener);

    await().atMost(LONG).until(() -> listener.chunks() == 1);
    assertThat(listener.chunkBytes()).asString().isEqualTo("step 1\n");
    assertThat(listener.result()).isNull();
    runs.kill("t1");
    listener.awaitResult();
    assertThat(listener.violations()).isEmpty();
  }

  @Test
  void huge_output_is_kept_bounded_and_streamed_whole_in_order() {
    long size = 50L * 1024 * 1024 + 123;
    var runs =
        manager(FakeProcessLauncher.always(Behavior.exit(0).withOutput(() -> pattern(size))));
    var listener = new RecordingListener(false);

    runs.start(RunSpec.of("t1", "x"), listener);

    var result = listener.awaitResult(Duration.ofSeconds(60));
    int max = options.maxOutputBytes();
    int tail = options.effectiveTailBytes();
    byte[] marker = OutputCapture.marker(size - max);
    assertThat(result.truncated()).isTrue();
    assertThat(result.outputBytes()).isEqualTo(size);
    assertThat(result.output()).hasSize(max + marker.length);
    byte[] out = result.output();
    assertThat(Arrays.copyOfRange(out, 0, max - tail)).isEqualTo(patternBytes(0, max - tail));
    assertThat(Arrays.copyOfRange(out, max - tail, max - tail + marker.length)).isEqualTo(marker);
    assertThat(Arrays.copyOfRange(out, out.length - tail, out.length))
        .isEqualTo(patternBytes(size - tail, tail));
    assertThat(listener.chunkTotal()).isEqualTo(size);
    assertThat(listener.chunkCrc()).isEqualTo(crcOfPattern(size));
    assertThat(listener.chunks()).isGreaterThanOrEqualTo(size / options.chunkBytes());
    assertThat(listener.violations()).isEmpty();
  }

  @Test
  void runs_beyond_the_limit_queue_and_start_in_order_as_slots_free() {
    var launcher = FakeProcessLauncher.always(Behavior.runUntilStopped());
    var runs = manager(launcher, options.withMaxConcurrentRuns(2));
    var listeners = new java.util.LinkedHashMap<String, RecordingListener>();
    for (String id : java.util.List.of("t1", "t2", "t3", "t4", "t5")) {
      listeners.put(id, new RecordingListener());
      assertThat(runs.start(RunSpec.of(id, "x"), listeners.get(id))).isTrue();
    }
    await().atMost(LONG).until(() -> launcher.processes().size() == 2);

    assertThat(runs.queued()).containsExactly("t3", "t4", "t5");
    assertThat(runs.running()).containsExactlyInAnyOrder("t1", "t2", "t3", "t4", "t5");
    assertThat(runs.start(RunSpec.of("t4", "x"), new RecordingListener()))
        .as("a queued task is not accepted twice")
        .isFalse();

    runs.kill("t1");
    assertThat(listeners.get("t1").awaitResult().status()).isEqualTo(RunStatus.KILLED);
    await().atMost(LONG).until(() -> launcher.processes().size() == 3);
    assertThat(runs.queued()).containsExactly("t4", "t5");
    runs.kill("t2");
    await().atMost(LONG).until(() -> launcher.processes().size() == 4);
    var launched = launcher.launches().stream().map(r -> r.taskId()).toList();
    // the first two start at once, each on its own thread; the queued ones in order as slots free
    assertThat(launched.subList(0, 2)).containsExactlyInAnyOrder("t1", "t2");
    assertThat(launched.subList(2, 4)).containsExactly("t3", "t4");
    assertThat(runs.queued()).containsExactly("t5");
    assertThat(listeners.get("t3").result()).isNull();
  }

  @Test
  void killing_a_queued_run_ends_it_killed_without_starting_it() {
    var launcher = FakeProcessLauncher.always(Behavior.runUntilStopped());
    var runs = manager(launcher, options.withMaxConcurrentRuns(1));
    var first = new RecordingListener();
    var second = new RecordingListener();
    var third = new RecordingListener();
    runs.start(RunSpec.of("t1", "x"), first);
    runs.start(RunSpec.of("t2", "x"), second);
    runs.start(RunSpec.of("t3", "x"), third);

    assertThat(runs.kill("t2")).isTrue();

    var result = second.awaitResult();
    assertThat(result.status()).isEqualTo(RunStatus.KILLED);
    assertThat(result.code()).isEqualTo(RunResult.NO_CODE);
    assertThat(result.error()).isEqualTo("killed on request");
    assertThat(runs.queued()).containsExactly("t3");
    assertThat(runs.running()).containsExactlyInAnyOrder("t1", "t3");
    assertThat(runs.start(RunSpec.of("t2", "x"), new RecordingListener())).isFalse();

    runs.kill("t1");
    await().atMost(LONG).until(() -> launcher.processes().size() == 2);
    assertThat(launcher.launches()).extracting(r -> r.taskId()).containsExactly("t1", "t3");
    assertThat(third.result()).isNull();
  }

  @Test
  void shutdown_ends_queued_runs_killed_without_starting_them() {
    var launcher = FakeProcessLauncher.always(Behavior.runUntilStopped());
    var runs = manager(launcher, options.withMaxConcurrentRuns(1));
    var first = new RecordingListener();
    var second = new RecordingListener();
    runs.start(RunSpec.of("t1", "x"), first);
    runs.start(RunSpec.of("t2", "x"), second);
    await().atMost(LONG).until(() -> launcher.processes().size() == 1);

    runs.shutdown();

    assertThat(first.awaitResult().status()).isEqualTo(RunStatus.KILLED);
    assertThat(second.awaitResult().status()).isEqualTo(RunStatus.KILLED);
    assertThat(second.result().error()).isEqualTo("killed because the agent shut down");
    assertThat(launcher.launches()).hasSize(1);
    assertThat(runs.running()).isEmpty();
  }

  @Test
  void shutdown_kills_running_scripts_reports_them_killed_and_refuses_new_ones() {
    var launcher = FakeProcessLauncher.always(Behavior.runUntilStopped());
    var runs = manager(launcher);
    var first = new RecordingListener();
    var second = new RecordingListener();
    runs.start(RunSpec.of("t1", "x"), first);
    runs.start(RunSpec.of("t2", "x"), second);
    await().atMost(LONG).until(() -> launcher.processes().size() == 2);

    runs.shutdown();

    assertThat(runs.running()).isEmpty();
    for (var listener : new RecordingListener[] {first, second}) {
      assertThat(listener.result().status()).isEqualTo(RunStatus.KILLED);
      assertThat(listener.result().error()).isEqualTo("killed because the agent shut down");
    }
    assertThat(runs.start(RunSpec.of("t3", "x"), new RecordingListener())).isFalse();
  }

  @Test
  void a_failing_listener_does_not_stop_the_run_or_the_manager() {
    var runs = manager(FakeProcessLauncher.always(Behavior.exit(0).withOutput("out")));
    RunListener failing =
        new RunListener() {
          @Override
          public void onOutput(String taskId, long seq, byte[] chunk) {
            throw new IllegalStateException("output listener broke");
          }

          @Override
          public void onResult(RunResult result) {
            throw new IllegalStateException("result listener broke");
          }
        };

    runs.start(RunSpec.of("t1", "x"), failing);

    await().atMost(LONG).until(() -> runs.running().isEmpty());
    var listener = new RecordingListener();
    runs.start(RunSpec.of("t2", "x"), listener);
    assertThat(listener.awaitResult().status()).isEqualTo(RunStatus.EXITED);
  }

  /** Bytes {@code i % 251} for positions {@code i}: every window differs from its neighbours. */
  private static InputStream pattern(long size) {
    return new InputStream() {
      private long position;

      @Override
      public int read() {
        return position < size ? (int) (position++ % 251) : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (position >= size) {
          return -1;
        }
        int n = (int) Math.min(len, size - position);
        for (int i = 0; i < n; i++) {
          b[off + i] = (byte) (position++ % 251);
        }
        return n;
      }
    };
  }

  private static byte[] patternBytes(long from, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) ((from + i) % 251);
    }
    return b;
  }

  private static long crcOfPattern(long size) {
    var crc = new CRC32();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = pattern(size)) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        crc.update(buffer, 0, n);
      }
    } catch (java.io.IOException e) {
      throw new RuntimeException(e);
    }
    return crc.getValue();
  }
}
