package io.mschedule.agent.runner;

import io.mschedule.protocol.message.StdStream;
import java.io.IOException;

/**
 * Receives what a run produces.
 *
 * <p>Calls for one run never overlap: every {@link #onOutput} call happens before the next one
 * starts, in {@code seq} order, and {@link #onResult} comes once, after the last {@code onOutput}.
 * The calls come from the run's own threads, so an implementation should return quickly (queue the
 * chunk, or drop it: chunks are a live view only). A slow {@code onOutput} slows down the script's
 * output, it never loses kept output.
 *
 * <p>{@link #onResult} is the hand-over of the run's only copy of its result: an implementation
 * should make it durable (for example with {@code ResultSpool.save}) before returning. The task
 * stays in {@link RunManager#running()} until {@code onResult} has returned, so at any time a task
 * is either listed as running or its result has been handed over.
 */
public interface RunListener {

  /**
   * A chunk of output, of either stream: chunks come in the order the output was read.
   *
   * @param seq the chunk number, from 0, without gaps
   */
  void onOutput(String taskId, long seq, byte[] chunk);

  /**
   * A chunk of output of one stream (every chunk holds bytes of one stream only); by default {@link
   * #onOutput(String, long, byte[])}, for listeners that do not tell the streams apart.
   *
   * @param offset where the chunk starts in the run's output (both streams, in the order read)
   */
  default void onOutput(String taskId, long seq, long offset, StdStream stream, byte[] chunk) {
    onOutput(taskId, seq, chunk);
  }

  /**
   * The script is about to be let go: its process waits at its gate (or, for a copy, nothing has
   * been written yet). Returns when it may go on; an {@link IOException} stops the run before the
   * script does anything, and its message becomes the run's {@code failed_to_start} error. Called
   * at most once per run, on the run's thread; by default it lets the script go at once.
   *
   * <p>The agent writes the durable marker of a run's start meanwhile, so the process start and the
   * marker's {@code fsync} overlap, and the script still never runs before its start is recorded.
   */
  default void beforeScript() throws IOException, InterruptedException {}

  /** The run has ended. Called exactly once per started run. */
  void onResult(RunResult result);
}
