package io.mschedule.cli.client;

/**
 * Receives the live events of one task ({@code GET /api/v1/tasks/{id}/events}). All methods are
 * called on the stream's own reader thread, one at a time, in the order the master sent the events.
 */
public interface EventListener {

  /**
   * A {@code task} event: the first one carries the whole task with run outputs, later ones the
   * task without outputs whenever its state changes.
   */
  default void onTask(Task task) {}

  /** A {@code run} event: one run (without output) whenever its state changes. */
  default void onRun(Run run) {}

  /** An {@code output} event: output of a run as it arrives. */
  default void onOutput(OutputChunk chunk) {}

  /** Any other event, with its raw data. */
  default void onOther(String event, String data) {}

  /**
   * Called exactly once when the stream is over: with null when the master ended it or it was
   * closed by {@link EventStream#close()}, with the cause when it broke.
   */
  default void onClosed(Throwable error) {}
}
