package io.mschedule.master.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskEventsTest {
  private static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");

  @Test
  void liveOutputIsKeptOnlyForRunningRunsAndFreedWhenTheyEnd() {
    TaskEvents events = new TaskEvents();
    for (int i = 0; i < 100; i++) {
      events.output("fake-" + i, "a1", 0, new byte[] {1});
    }
    assertThat(events.liveBuffers()).isZero();
    assertThat(events.isRunning("t1", "a1")).isFalse();

    Run waiting = new Run("t1", "a1", "web-01", 0, RunState.WAITING, null, false, null, null);
    events.run(waiting);
    events.output("t1", "a1", 0, new byte[] {1});
    assertThat(events.liveBuffers()).isZero();

    Run running = waiting.moveTo(RunState.RUNNING, null, T0, null);
    events.run(running);
    assertThat(events.isRunning("t1", "a1")).isTrue();
    events.output("t1", "a1", 0, "hi".getBytes());
    events.output("t1", "a2", 0, "not its run".getBytes());
    assertThat(events.liveOutput("t1")).containsOnlyKeys("a1");

    events.run(running.moveTo(RunState.SUCCEEDED, 0, T0, T0));
    assertThat(events.isRunning("t1", "a1")).isFalse();
    assertThat(events.liveBuffers()).isZero();
  }
}
