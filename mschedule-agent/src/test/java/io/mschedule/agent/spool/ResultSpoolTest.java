package io.mschedule.agent.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.agent.runner.RunResult;
import io.mschedule.agent.runner.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultSpoolTest {

  @TempDir Path dataDir;
  private Path dir;

  @org.junit.jupiter.api.BeforeEach
  void spoolDir() {
    dir = dataDir.resolve("spool");
  }

  private static RunResult exited(String taskId, String output) {
    return new RunResult(
        taskId,
        RunStatus.EXITED,
        3,
        output.getBytes(StandardCharsets.UTF_8),
        false,
        output.length(),
        null,
        1_700_000_000_000L,
        1_700_000_001_234L);
  }

  private static RunResult failed(String taskId) {
    return RunResult.failedToStart(taskId, "interpreter /x does not exist", 1L, 2L);
  }

  private String[] quarantined() throws IOException {
    try (Stream<Path> files = Files.list(dataDir.resolve("quarantine/spool"))) {
      return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  private String[] fileNames() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  @Test
  void a_saved_result_comes_back_whole_and_goes_away_when_removed() throws IOException {
    var spool = new ResultSpool(dir);
    var result =
        new RunResult(
            "t1",
            RunStatus.TIMED_OUT,
            143,
            new byte[] {0, 1, (byte) 0xff},
            true,
            4_194_304L,
            "timed out after 1s",
            10L,
            20L,
            io.mschedule.protocol.message.OutputStreams.of(1, 2),
            1);

    spool.save(result);

    assertThat(spool.pending()).containsExactly(result);
    assertThat(spool.remove("t1")).isTrue();
    assertThat(spool.pending()).isEmpty();
    assertThat(spool.remove("t1")).isFalse();
    assertThat(fileNames()).isEmpty();
  }

  @Test
  void pending_results_come_oldest_first_and_survive_a_restart() throws IOException {
    var spool = new ResultSpool(dir);
    spool.save(exited("zeta", "1"));
    spool.save(failed("alpha"));
    spool.save(exited("mid", "3"));

    var reopened = new ResultSpool(dir);
    assertThat(reopened.pending())
        .containsExactly(exited("zeta", "1"), failed("alpha"), exited("mid", "3"));

    reopened.save(exited("last", "4"));
    reopened.remove("alpha");
    assertThat(new ResultSpool(dir).pending())
        .extracting(RunResult::taskId)
        .containsExactly("zeta", "mid", "last");
  }

  @Test
  void each_attempt_of_a_run_has_its_own_entry_and_keeps_its_number() throws IOException {
    var spool = new ResultSpool(dir);
    spool.save(exited("t1", "first"));
    spool.save(
        new RunResult(
            "t1",
            RunStatus.EXITED,
            1,
            "outerr".getBytes(StandardCharsets.UTF_8),
            false,
            6,
            null,
            1L,
            2L,
            io.mschedule.protocol.message.OutputStreams.of(3, 3),
            2));

    var back = new ResultSpool(dir).pending();
    assertThat(back).extracting(RunResult::attempt).containsExactly(1, 2);
    assertThat(back.get(1).output()).asString().isEqualTo("outerr");
    assertThat(back.get(1).streams())
        .isEqualTo(io.mschedule.protocol.message.OutputStreams.of(3, 3));
    assertThat(spool.contains("t1#2")).isTrue();
    assertThat(spool.remove("t1")).isTrue();
    assertThat(spool.pending()).extracting(RunResult::runKey).containsExactly("t1#2");
  }

  @Test
  void saving_a_result_again_replaces_it() throws IOException {
    var spool = new ResultSpool(dir);
    spool.save(exited("t1", "first"));
    spool.save(exited("t1", "second"));

    assertThat(spool.pending()).containsExactly(exited("t1", "second"));
    assertThat(fileNames()).hasSize(1);
  }

  @Test
  void task_ids_are_not_trusted_as_file_names() throws IOException {
    var spool = new ResultSpool(dir);
    String[] ids = {"../../etc/passwd", "a/b", "..", "with space", "ünïcode", "x".repeat(500)};
    for (String id : ids) {
      spool.save(exited(id, id));
    }

    assertThat(spool.pending()).extracting(RunResult::taskId).containsExactly(ids);
    assertThat(fileNames()).hasSize(ids.length).allMatch(name -> name.endsWith(".result"));
    for (String id : ids) {
      assertThat(spool.remove(id)).isTrue();
    }
    assertThat(fileNames()).isEmpty();
  }

  @Test
  void a_corrupt_file_is_moved_aside_and_the_rest_is_still_served() throws IOException {
    var spool = new ResultSpool(dir);
    spool.save(exited("good", "ok"));
    spool.save(exited("broken", "will be cut"));
    Path broken = spool.fileFor("broken");
    byte[] bytes = Files.readAllBytes(broken);
    Files.write(broken, Arrays.copyOf(bytes, bytes.length / 2));
    Files.write(
        dir.resolve("t-garbage.result"), "not msgpack at all".getBytes(StandardCharsets.UTF_8));
    Files.write(dir.resolve("t-empty.result"), new byte[0]);

    assertThat(spool.pending()).containsExactly(exited("good", "ok"));

    assertThat(fileNames()).containsExactly(spool.fileFor("good").getFileName().toString());
    assertThat(quarantined())
        .containsExactlyInAnyOrder("t-broken.result", "t-garbage.result", "t-empty.result");
    assertThat(new ResultSpool(dir).pending()).containsExactly(exited("good", "ok"));
  }

  @Test
  void a_file_holding_another_tasks_result_is_moved_aside() throws IOException {
    var spool = new ResultSpool(dir);
    spool.save(exited("t1", "x"));
    Files.move(spool.fileFor("t1"), spool.fileFor("t2"));

    assertThat(spool.pending()).isEmpty();
    assertThat(fileNames()).isEmpty();
    assertThat(quarantined()).containsExactly("t-t2.result");
  }

  @Test
  void left_over_temporary_files_of_an_interrupted_save_are_removed() throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve(ResultSpool.TEMP_PREFIX + "123.tmp"), new byte[] {1, 2, 3});

    var spool = new ResultSpool(dir);

    assertThat(spool.pending()).isEmpty();
    assertThat(fileNames()).isEmpty();
  }

  @Test
  void the_spool_directory_is_created_when_missing() throws IOException {
    var spool = new ResultSpool(dir.resolve("data/spool"));
    spool.save(failed("t1"));
    assertThat(Files.isDirectory(dir.resolve("data/spool"))).isTrue();
    assertThat(spool.pending()).containsExactly(failed("t1"));
  }
}
