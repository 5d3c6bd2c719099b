package io.mschedule.master.dispatch;

import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The coordinator's working copy of an unfinished task. Touched by the coordinator thread only. */
final class ActiveTask {
  Task task;
  final Map<String, Run> runs = new LinkedHashMap<>();
  final Set<String> killSent = new HashSet<>();
  final Map<String, Instant> waitingForLink = new HashMap<>();

  ActiveTask(Task task, List<Run> runs) {
    this.task = task;
    for (Run r : runs) {
      this.runs.put(r.agentId(), r);
    }
  }

  int count(RunState state) {
    int n = 0;
    for (Run r : runs.values()) {
      if (r.state() == state) {
        n++;
      }
    }
    return n;
  }

  int failures() {
    int n = 0;
    for (Run r : runs.values()) {
      if (r.state().isFailure()) {
        n++;
      }
    }
    return n;
  }

  boolean allFinal() {
    for (Run r : runs.values()) {
      if (!r.state().isFinal()) {
        return false;
      }
    }
    return true;
  }

  boolean allSucceeded() {
    return count(RunState.SUCCEEDED) == runs.size();
  }
}
