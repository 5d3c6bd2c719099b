package io.mschedule.agent.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.agent.files.FileReceiver;
import io.mschedule.agent.process.LocalProcessLauncher;
import io.mschedule.protocol.message.FileOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs with files, through the run manager and real processes. */
class RunFilesTest {
  static final byte[] CONTENT = "key = value\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path root;
  @TempDir Path target;
  private RunManager manager;
  private String sha;

  @BeforeEach
  void setUp() throws Exception {
    sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(CONTENT));
    FileReceiver files =
        new FileReceiver(
            (taskId, sha256, offset, length) ->
                CompletableFuture.completedFuture(
                    Arrays.copyOfRange(
                        CONTENT,
                        (int) Math.min(offset, CONTENT.length),
                        (int) Math.min(offset + length, CONTENT.length))),
            Duration.ofSeconds(5));
    manager =
        new RunManager(
            new LocalProcessLauncher(),
            RunnerOptions.defaults().withWorkDirRoot(root),
            Clock.systemUTC(),
            files);
  }

  @AfterEach
  void tearDown() {
    manager.shutdown();
  }

  private RunResult run(String id, byte[] script, List<FileOrder> files, boolean copy)
      throws Exception {
    var listener = new RecordingListener();
    assertThat(
            manager.start(
                new RunSpec(id, script, Duration.ZERO, Map.of(), files, copy, 1), listener))
        .isTrue();
    return listener.awaitResult();
  }

  @Test
  void a_copy_run_reports_copied_then_unchanged() throws Exception {
    Path dest = target.resolve("app.conf");
    List<FileOrder> files =
        List.of(new FileOrder(sha, CONTENT.length, dest.toString(), null, null));
    byte[] script = "echo never; exit 1\n".getBytes(StandardCharsets.UTF_8);

    RunResult first = run("t1", script, files, true);
    RunResult second = run("t2", script, files, true);

    assertThat(first.status()).isEqualTo(RunStatus.EXITED);
    assertThat(first.code()).isZero();
    assertThat(new String(first.output(), StandardCharsets.UTF_8))
        .isEqualTo("copied " + dest + "\n");
    assertThat(new String(second.output(), StandardCharsets.UTF_8))
        .isEqualTo("unchanged " + dest + "\n");
    assertThat(Files.readAllBytes(dest)).isEqualTo(CONTENT);
  }

  @Test
  void a_copy_that_cannot_be_placed_exits_1_with_the_reason() throws Exception {
    Path dest = target.resolve("missing").resolve("app.conf");

    RunResult r =
        run(
            "t3",
            new byte[0],
            List.of(new FileOrder(sha, CONTENT.length, dest.toString(), null, null)),
            true);

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.error())
        .isEqualTo("cannot copy " + dest + ": directory " + dest.getParent() + " does not exist");
    assertThat(new String(r.output(), StandardCharsets.UTF_8)).startsWith("failed " + dest + ": ");
  }

  @Test
  void a_scripts_files_are_in_its_working_directory_and_gone_after() throws Exception {
    RunResult r =
        run(
            "t4",
            "cat conf.txt; ls -a\n".getBytes(StandardCharsets.UTF_8),
            List.of(new FileOrder(sha, CONTENT.length, "conf.txt", "0600", null)),
            false);

    assertThat(r.status()).isEqualTo(RunStatus.EXITED);
    assertThat(new String(r.output(), StandardCharsets.UTF_8))
        .startsWith("key = value\n")
        .contains("conf.txt");
    try (var left = Files.list(root)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void a_file_that_cannot_be_fetched_fails_the_start() throws Exception {
    RunResult r =
        run(
            "t5",
            "echo never\n".getBytes(StandardCharsets.UTF_8),
            List.of(new FileOrder("0".repeat(64), CONTENT.length, "conf.txt", null, null)),
            false);

    assertThat(r.status()).isEqualTo(RunStatus.FAILED_TO_START);
    assertThat(r.error())
        .startsWith("cannot fetch file conf.txt: the content received has SHA-256");
    try (var left = Files.list(root)) {
      assertThat(left).isEmpty();
    }
  }
}
