package io.mschedule.agent.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RunKeysTest {
  @Test
  void a_first_attempt_is_named_by_its_task_id_and_a_retry_by_its_number() {
    assertThat(RunKeys.of("abc", 1)).isEqualTo("abc");
    assertThat(RunKeys.of("abc", 2)).isEqualTo("abc#2");
    assertThat(RunKeys.taskId("abc#12")).isEqualTo("abc");
    assertThat(RunKeys.attempt("abc#12")).isEqualTo(12);
  }

  @Test
  void names_without_a_retry_number_are_first_attempts_of_the_whole_name() {
    for (String key : new String[] {"abc", "a#b", "a#1", "a#01", "#5", "a#", "a#99999999999"}) {
      assertThat(RunKeys.taskId(key)).as(key).isEqualTo(key);
      assertThat(RunKeys.attempt(key)).as(key).isEqualTo(1);
    }
  }

  @Test
  void an_attempt_below_1_is_refused() {
    assertThatThrownBy(() -> RunKeys.of("abc", 0)).hasMessageContaining("attempt");
  }
}
