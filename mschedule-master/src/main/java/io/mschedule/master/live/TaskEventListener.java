package io.mschedule.master.live;

import io.mschedule.master.task.Run;
import io.mschedule.master.task.Task;

/** Receives live changes of one task. Called on master threads: must not block. */
public interface TaskEventListener {
  void onTask(Task task);

  /** A run changed; {@code output} is its stored output when the run just ended, else null. */
  void onRun(Run run, byte[] output);

  /** Live output; {@code seq} numbers the agent's chunks of this run. */
  void onOutput(String agentId, long seq, byte[] data);
}
