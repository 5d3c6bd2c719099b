package io.mschedule.master.live;

import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunOutput;
import io.mschedule.master.task.Task;

/** Receives live changes of one task. Called on master threads: must not block. */
public interface TaskEventListener {
  void onTask(Task task);

  /** A run changed; {@code output} is its stored output when the run just ended, else null. */
  void onRun(Run run, byte[] output);

  /** As {@link #onRun(Run, byte[])}, with the streams of the output. */
  default void onRun(Run run, RunOutput output) {
    onRun(run, output == null ? null : output.data());
  }

  /** Live output; {@code seq} numbers the agent's chunks of this run. */
  void onOutput(String agentId, long seq, byte[] data);

  /** As {@link #onOutput(String, long, byte[])}, with the chunk's offset and stream. */
  default void onOutput(String agentId, LiveChunk chunk) {
    onOutput(agentId, chunk.seq(), chunk.data());
  }
}
