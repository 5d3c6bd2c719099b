package io.mschedule.agent.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RunStatusTest {

  @Test
  void wire_names_are_those_of_the_result_message() {
    assertThat(RunStatus.EXITED.wireName()).isEqualTo("exited");
    assertThat(RunStatus.TIMED_OUT.wireName()).isEqualTo("timed_out");
    assertThat(RunStatus.KILLED.wireName()).isEqualTo("killed");
    assertThat(RunStatus.FAILED_TO_START.wireName()).isEqualTo("failed_to_start");
  }

  @Test
  void every_status_comes_back_from_its_wire_name() {
    for (RunStatus status : RunStatus.values()) {
      assertThat(RunStatus.fromWire(status.wireName())).isEqualTo(status);
    }
  }

  @Test
  void an_unknown_wire_name_is_rejected_with_the_name() {
    assertThatThrownBy(() -> RunStatus.fromWire("EXITED"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'EXITED'");
  }
}
