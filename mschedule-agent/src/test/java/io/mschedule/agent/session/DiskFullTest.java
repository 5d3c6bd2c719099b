package io.mschedule.agent.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.agent.runner.RunResult;
import io.mschedule.agent.runner.RunStatus;
import io.mschedule.agent.spool.PendingResults;
import io.mschedule.agent.spool.ResultSpool;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's data directory on a real 2 MB tmpfs that fills up: nothing acknowledged is lost,
 * nothing half-written is left, and everything works again once there is space. Needs permission to
 * mount (root with CAP_SYS_ADMIN); skipped with the reason otherwise.
 */
class DiskFullTest {

  private static final Logger log = LoggerFactory.getLogger(DiskFullTest.class);

  @TempDir Path tmp;
  private Path dataDir;
  private boolean mounted;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    dataDir = tmp.resolve("data");
    Files.createDirectories(dataDir);
    String output;
    int code;
    try {
      Process mount =
          new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", dataDir.toString())
              .redirectErrorStream(true)
              .start();
      output = new String(mount.getInputStream().readAllBytes()).trim();
      code = mount.waitFor(30, TimeUnit.SECONDS) ? mount.exitValue() : -1;
    } catch (IOException e) {
      output = e.toString();
      code = -1;
    }
    if (code != 0) {
      log.warn("skipping the disk-full test: cannot mount a tmpfs here: {}", output);
    }
    Assumptions.assumeTrue(code == 0, "cannot mount a 2 MB tmpfs here: " + output);
    mounted = true;
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      new ProcessBuilder("umount", dataDir.toString()).inheritIO().start().waitFor();
    }
  }

  /** Fills the disk; returns the filler files (delete them to free the space). */
  private List<Path> fill() throws IOException {
    List<Path> fillers = new ArrayList<>();
    byte[] block = new byte[4096];
    for (int i = 0; ; i++) {
      Path filler = dataDir.resolve("filler-" + i);
      fillers.add(filler);
      try (OutputStream out = Files.newOutputStream(filler)) {
        while (true) {
          out.write(block);
        }
      } catch (IOException e) {
        if (!String.valueOf(e.getMessage()).contains("No space left")) {
          throw e;
        }
        if (Files.size(filler) == 0) {
          return fillers;
        }
      }
    }
  }

  private static RunResult exited(String taskId, int outputBytes) {
    byte[] output = new byte[outputBytes];
    Arrays.fill(output, (byte) 'a');
    return new RunResult(
        taskId, RunStatus.EXITED, 0, output, false, outputBytes, null, 1_000L, 2_000L);
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void a_full_disk_loses_no_result_leaves_no_broken_file_and_recovers() throws IOException {
    var started = new StartedRuns(dataDir.resolve("running"));
    var spool = new ResultSpool(dataDir.resolve("spool"));
    List<String> settled = new ArrayList<>();
    var results =
        new PendingResults(
            spool,
            id -> {
              settled.add(id);
              started.clear(id);
            });
    started.mark("t1");
    List<Path> fillers = fill();

    // A new run cannot be marked: a clear error, and no empty marker left behind.
    assertThatThrownBy(() -> started.mark("t2"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("No space left");
    assertThat(names(dataDir.resolve("running"))).containsExactly("t1");

    // The result of a running one cannot be saved: it is kept and handed out as a failure.
    assertThat(results.add(exited("t1", 1024 * 1024))).isFalse();
    assertThat(names(dataDir.resolve("spool"))).isEmpty();
    var pending = results.pending();
    assertThat(pending).hasSize(1);
    RunResult failed = pending.get(0);
    assertThat(failed.taskId()).isEqualTo("t1");
    assertThat(failed.status()).isEqualTo(RunStatus.FAILED_TO_START);
    assertThat(failed.error())
        .startsWith("disk full: ")
        .contains("could not be saved")
        .contains("exited with 0");
    assertThat(failed.output()).hasSize(1024 * 1024);
    assertThat(results.contains("t1")).isTrue();
    assertThat(settled).isEmpty();

    // An agent restarting now starts: the marker is still there and whole.
    assertThat(new StartedRuns(dataDir.resolve("running")).all()).containsExactly("t1");
    assertThat(new ResultSpool(dataDir.resolve("spool")).pending()).isEmpty();

    // Space comes back: the next pass saves the result (as it was reported) and clears the marker.
    for (Path filler : fillers) {
      Files.deleteIfExists(filler);
    }
    assertThat(results.pending()).containsExactly(failed);
    assertThat(settled).containsExactly("t1");
    assertThat(results.hasUnsaved()).isFalse();
    assertThat(new ResultSpool(dataDir.resolve("spool")).pending()).containsExactly(failed);
    assertThat(names(dataDir.resolve("running"))).isEmpty();

    results.acknowledged("t1");
    assertThat(results.pending()).isEmpty();
    assertThat(results.contains("t1")).isFalse();
  }

  @Test
  void a_result_acknowledged_before_it_could_be_saved_is_settled() throws IOException {
    var started = new StartedRuns(dataDir.resolve("running"));
    var results = new PendingResults(new ResultSpool(dataDir.resolve("spool")), started::clear);
    started.mark("t1");
    fill();

    assertThat(results.add(exited("t1", 100_000))).isFalse();
    results.acknowledged("t1");

    assertThat(results.pending()).isEmpty();
    assertThat(started.all()).isEmpty();
  }
}
