package io.mschedule.master.live;

import io.mschedule.master.task.Run;
import io.mschedule.master.task.Task;

/** Receives live changes of one task. Called on master threads: must not block. */
public interface TaskEventListener {
  void onTask(Task task);

  void onRun(Run run);

  void onOutput(String agentId, byte[] data);
}
