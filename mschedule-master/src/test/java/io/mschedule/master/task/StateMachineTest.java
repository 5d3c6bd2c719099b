package io.mschedule.master.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateMachineTest {
  private static Task task(TaskState s) {
    return new Task(
        "t", s, null, "true", List.of("all"), 1, null, null, 0, Instant.EPOCH, null, null, null);
  }

  @Test
  void final_task_states_have_no_way_out() {
    for (TaskState from : TaskState.values()) {
      if (from.isFinal()) {
        for (TaskState to : TaskState.values()) {
          assertThat(TaskTransitions.allowed(from, to)).as(from + "->" + to).isFalse();
        }
      }
    }
  }

  @Test
  void an_illegal_task_transition_fails_loudly() {
    assertThatThrownBy(() -> task(TaskState.SUCCEEDED).moveTo(TaskState.RUNNING, null, null))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessage("illegal task transition SUCCEEDED -> RUNNING");
  }

  @Test
  void a_stopping_task_keeps_its_state_until_it_ends() {
    Task t = task(TaskState.RUNNING).stopTowards(TaskState.KILLED, "killed by ops");
    assertThat(t.state()).isEqualTo(TaskState.RUNNING);
    assertThat(t.stopping()).isEqualTo(TaskState.KILLED);
    assertThat(t.reason()).isEqualTo("killed by ops");
    assertThatThrownBy(() -> task(TaskState.FAILED).stopTowards(TaskState.KILLED, "x"))
        .isInstanceOf(IllegalTransitionException.class);
  }

  @Test
  void runs_move_only_along_the_table() {
    Run r = new Run("t", "a", "h", 0, RunState.WAITING, null, false, null, null);
    assertThat(RunTransitions.allowed(RunState.WAITING, RunState.RUNNING)).isTrue();
    assertThat(RunTransitions.allowed(RunState.WAITING, RunState.SUCCEEDED)).isFalse();
    assertThat(RunTransitions.allowed(RunState.RUNNING, RunState.LOST)).isTrue();
    assertThat(RunTransitions.allowed(RunState.LOST, RunState.SUCCEEDED)).isFalse();
    assertThatThrownBy(() -> r.moveTo(RunState.SUCCEEDED, 0, null, null))
        .hasMessage("illegal run transition WAITING -> SUCCEEDED");
    assertThat(RunState.TIMED_OUT.isFailure()).isTrue();
    assertThat(RunState.KILLED.isFailure()).isFalse();
    assertThat(RunState.SKIPPED.isFinal()).isTrue();
  }
}
