package io.mschedule.agent.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.agent.runner.RunResult;
import io.mschedule.agent.runner.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Results the spool cannot take are kept, reported as failures, and saved once it can. */
class PendingResultsTest {

  @TempDir Path dataDir;

  private static RunResult result(String taskId, RunStatus status, int code) {
    return new RunResult(taskId, status, code, "out".getBytes(), false, 3, null, 1L, 2L);
  }

  /** Makes the spool unwritable by putting a file where its directory was. */
  private static void breakSpool(Path spoolDir) throws IOException {
    try (var files = Files.list(spoolDir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(spoolDir);
    Files.writeString(spoolDir, "not a directory");
  }

  private static void repairSpool(Path spoolDir) throws IOException {
    Files.delete(spoolDir);
    Files.createDirectory(spoolDir);
  }

  @Test
  void a_saved_result_is_pending_until_acknowledged() throws IOException {
    var results = new PendingResults(new ResultSpool(dataDir.resolve("spool")), id -> {});
    var r = result("t1", RunStatus.EXITED, 0);

    assertThat(results.add(r)).isTrue();
    assertThat(results.pending()).containsExactly(r);
    assertThat(results.contains("t1")).isTrue();

    results.acknowledged("t1");
    assertThat(results.pending()).isEmpty();
    assertThat(results.contains("t1")).isFalse();
  }

  @Test
  void an_unsaved_result_is_reported_as_a_failure_and_saved_when_the_spool_works_again()
      throws IOException {
    Path spoolDir = dataDir.resolve("spool");
    List<String> settled = new ArrayList<>();
    var results = new PendingResults(new ResultSpool(spoolDir), settled::add);
    breakSpool(spoolDir);

    assertThat(results.add(result("ok", RunStatus.EXITED, 0))).isFalse();
    assertThat(results.add(result("slow", RunStatus.TIMED_OUT, 143))).isFalse();

    var pending = results.pending();
    assertThat(pending).extracting(RunResult::taskId).containsExactly("ok", "slow");
    assertThat(pending.get(0).status()).isEqualTo(RunStatus.FAILED_TO_START);
    assertThat(pending.get(0).code()).isEqualTo(RunResult.NO_CODE);
    assertThat(pending.get(0).error())
        .contains("its result could not be saved")
        .endsWith("the script exited with 0");
    assertThat(pending.get(0).output()).asString().isEqualTo("out");
    assertThat(pending.get(1).status()).isEqualTo(RunStatus.TIMED_OUT);
    assertThat(pending.get(1).code()).isEqualTo(143);
    assertThat(results.hasUnsaved()).isTrue();
    assertThat(settled).isEmpty();

    repairSpool(spoolDir);
    assertThat(results.pending()).containsExactlyElementsOf(pending);
    assertThat(settled).containsExactly("ok", "slow");
    assertThat(results.hasUnsaved()).isFalse();
    assertThat(new ResultSpool(spoolDir).pending()).containsExactlyElementsOf(pending);
  }
}
