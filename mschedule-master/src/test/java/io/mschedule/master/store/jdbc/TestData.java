package io.mschedule.master.store.jdbc;

import io.mschedule.master.store.AgentRecord;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Test values. Times are whole milliseconds, the precision the stores keep. */
final class TestData {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123Z");

  private TestData() {}

  static Instant at(long secondsAfterT0) {
    return T0.plusSeconds(secondsAfterT0);
  }

  static Task task(String id, Instant createdAt) {
    return new Task(
        id,
        TaskState.PENDING,
        null,
        "hostname\n",
        List.of("all"),
        0,
        0.0,
        -1,
        0,
        createdAt,
        null,
        null,
        null);
  }

  static Task task(String id) {
    return task(id, T0);
  }

  static Run run(String taskId, String agentId, int seq) {
    return new Run(
        taskId, agentId, "host-" + agentId, seq, RunState.WAITING, null, false, null, null);
  }

  static Run running(Run run) {
    return run.moveTo(RunState.RUNNING, null, at(1), null);
  }

  static AgentRecord agent(String id, Instant firstSeen, Instant lastSeen) {
    return new AgentRecord(
        id, "host-" + id, List.of("10.0.0.1"), Map.of("role", "web"), "0.1.0", firstSeen, lastSeen);
  }
}
