package io.mschedule.agent.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RunnerOptionsTest {

  @Test
  void defaults_are_the_named_constants() {
    var options = RunnerOptions.defaults();
    assertThat(options.maxOutputBytes()).isEqualTo(1024 * 1024);
    assertThat(options.outputTailBytes()).isEqualTo(64 * 1024);
    assertThat(options.chunkBytes()).isEqualTo(64 * 1024);
    assertThat(options.chunkInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(options.killGrace()).isEqualTo(Duration.ofSeconds(2));
    assertThat(options.outputDrain()).isEqualTo(RunnerOptions.DEFAULT_OUTPUT_DRAIN);
    assertThat(options.workDirRoot()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
    assertThat(options.maxConcurrentRuns()).isEqualTo(RunnerOptions.DEFAULT_MAX_CONCURRENT_RUNS);
    assertThat(options.finishedIdsRemembered()).isEqualTo(10_000);
  }

  static Stream<Arguments> bad_values() {
    return Stream.of(
        bad("maxOutputBytes", o -> o.withMaxOutputBytes(-1)),
        bad("outputTailBytes", o -> o.withOutputTailBytes(-1)),
        bad("chunkBytes", o -> o.withChunkBytes(-1)),
        bad("chunkBytes", o -> o.withChunkBytes(0)),
        bad("chunkInterval", o -> o.withChunkInterval(Duration.ofMillis(-1))),
        bad("killGrace", o -> o.withKillGrace(Duration.ofSeconds(-2))),
        bad("outputDrain", o -> o.withOutputDrain(Duration.ofSeconds(-1))),
        bad("workDirRoot", o -> o.withWorkDirRoot(null)),
        bad("maxConcurrentRuns", o -> o.withMaxConcurrentRuns(0)),
        bad("finishedIdsRemembered", o -> o.withFinishedIdsRemembered(-5)),
        bad("maxOutputBytes", o -> o.withMaxOutputBytes(Integer.MAX_VALUE)));
  }

  private static Arguments bad(String option, Function<RunnerOptions, RunnerOptions> change) {
    return Arguments.of(option, change);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad_values")
  void a_bad_value_is_rejected_with_a_message_naming_the_option(
      String option, Function<RunnerOptions, RunnerOptions> change) {
    assertThatThrownBy(() -> change.apply(RunnerOptions.defaults()))
        .hasMessageStartingWith(option + " ");
  }

  @Test
  void the_tail_kept_is_never_more_than_the_output_kept() {
    var options = RunnerOptions.defaults().withMaxOutputBytes(1000);
    assertThat(options.effectiveTailBytes()).isEqualTo(1000);
    assertThat(RunnerOptions.defaults().effectiveTailBytes()).isEqualTo(64 * 1024);
  }

  @Test
  void durations_are_written_as_people_write_them() {
    assertThat(TaskRun.format(Duration.ofSeconds(2))).isEqualTo("2s");
    assertThat(TaskRun.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(TaskRun.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(TaskRun.format(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(TaskRun.format(Duration.ZERO)).isEqualTo("0ms");
  }
}
