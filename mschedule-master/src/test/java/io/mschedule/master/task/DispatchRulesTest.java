package io.mschedule.master.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DispatchRulesTest {
  @Test
  void parallel_is_a_count_or_a_share_rounded_up() {
    assertThat(Parallelism.resolve("5", 10)).isEqualTo(5);
    assertThat(Parallelism.resolve(3L, 10)).isEqualTo(3);
    assertThat(Parallelism.resolve(0L, 10)).isEqualTo(0);
    assertThat(Parallelism.resolve("25%", 10)).isEqualTo(3);
    assertThat(Parallelism.resolve("1%", 5)).isEqualTo(1);
    assertThat(Parallelism.resolve("100%", 7)).isEqualTo(7);
    for (Object bad : List.of(-1L, "-1", "0%", "101%", "abc", 1.5)) {
      assertThatThrownBy(() -> Parallelism.resolve(bad, 10))
          .isInstanceOf(BadRequestException.class)
          .extracting(e -> ((BadRequestException) e).field())
          .isEqualTo("parallel");
    }
  }

  /**
   * The table of docs/tasks.md ("Failure thresholds"): fail_count, fail_rate (null = unset),
   * failures out of 5 runs, whether the task aborts.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "fail_count={0} fail_rate={1} failures={2}")
  @org.junit.jupiter.params.provider.CsvSource(
      nullValues = "unset",
      value = {
        "unset, unset, 5, false",
        "-1,    unset, 5, false",
        "-1,    0.0,   5, false",
        "0,     unset, 1, true",
        "1,     unset, 1, false",
        "1,     unset, 2, true",
        "unset, 0.5,   2, false",
        "unset, 0.5,   3, true",
        "unset, 0.0,   1, true",
        "unset, 0.4,   2, false",
        "10,    0.5,   3, true",
        "1,     0.9,   2, true",
        "2,     0.2,   2, true",
      })
  void each_threshold_works_on_its_own(
      Integer failCount, Double failRate, int failures, boolean aborts) {
    assertThat(FailureThreshold.check(failCount, failRate, failures, 5) != null).isEqualTo(aborts);
  }

  @Test
  void the_abort_reason_names_the_threshold_and_the_figures() {
    assertThat(FailureThreshold.check(1, null, 2, 5))
        .isEqualTo("fail_count 1 exceeded: 2 of 5 runs failed");
    assertThat(FailureThreshold.check(10, 0.5, 3, 5))
        .isEqualTo("fail_rate 0.5 exceeded: 3 of 5 runs failed (0.6)");
    assertThat(FailureThreshold.check(null, 0.0, 1, 5))
        .isEqualTo("fail_rate 0.0 exceeded: 1 of 5 runs failed (0.2)");
  }
}
