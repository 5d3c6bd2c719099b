package io.mschedule.bench.sim;

/**
 * What a simulated fleet reports. Called on the fleet's I/O thread with {@link System#nanoTime()}
 * stamps; implementations must return quickly.
 */
public interface SimListener {
  /** The master acknowledged agent {@code agent}'s registration. */
  default void registered(int agent, long nanos) {}

  /** The agent's order stream is open (the master sent {@code subscribed}). */
  default void linked(int agent, long nanos) {}

  /** The agent received a {@code task} order. */
  default void order(int agent, String taskId, long nanos) {}

  /** The master acknowledged the agent's result for {@code taskId}. */
  default void resultAcked(int agent, String taskId, long nanos) {}

  /** Something went wrong for one agent (it reconnects). */
  default void error(int agent, String what) {}
}
