package io.mschedule.master.dispatch;

import io.mschedule.master.task.Run;
import io.mschedule.master.task.Task;

/**
 * The port through which dispatch reaches agents. Dispatch decides; a gateway delivers. Today's
 * implementation speaks zerorpc to directly connected agents ({@code rpc.ZeroRpcGateway}); a relay
 * or a peer master is another implementation of this interface, not a change to dispatch.
 *
 * <p>Calls come from the coordinator's thread and must not block.
 */
public interface AgentGateway {
  /**
   * Hands a run to its agent. Also called again for a run already handed out when its agent
   * reconnects (an agent ignores a run it already knows).
   *
   * @return false when the agent cannot be reached now (the run is handed out again when it
   *     reconnects)
   */
  boolean start(Task task, Run run);

  /**
   * Asks the agent to kill the task's run (the whole process tree).
   *
   * @return false when the agent cannot be reached now (asked again when it reconnects)
   */
  boolean kill(Task task, Run run);

  /** Whether orders can be sent to the agent now. */
  boolean isLinked(String agentId);

  /**
   * Runs {@code sends}, calls of {@link #start} that hand out runs together (a fan-out), so that a
   * gateway that batches what it sends keeps them in one batch. By default it just runs them.
   */
  default void together(Runnable sends) {
    sends.run();
  }

  /**
   * Whether the agent is alive on another master sharing the database (orders reach it through that
   * master). Dispatch then counts it online although this master does not hear from it.
   */
  default boolean heldElsewhere(String agentId) {
    return false;
  }

  /**
   * What a gateway reports back to dispatch, from its own threads. {@link #finished} is
   * synchronous: a gateway acknowledges a result to its agent only after it returned.
   */
  interface Events {
    /** The agent can receive orders (it connected, or reconnected). */
    void linkUp(String agentId);

    /** The agent's order link closed. */
    void linkDown(String agentId);

    /** Live output of a running run; {@code seq} numbers the agent's chunks of this run. */
    void output(String taskId, String agentId, long seq, byte[] data);

    /**
     * Live output of one stream (stdout, or stderr when {@code stderr}) of a running run, starting
     * at {@code offset} in the run's output (-1 when the agent does not say); by default {@link
     * #output(String, String, long, byte[])}.
     */
    default void output(
        String taskId, String agentId, long seq, long offset, boolean stderr, byte[] data) {
      output(taskId, agentId, seq, data);
    }

    /**
     * A run ended on its agent. Returns once the outcome is durable.
     *
     * @return false when the run had already ended (a repeated result)
     * @throws ResultRecorder.UnknownRunException when no such run exists
     */
    boolean finished(RunOutcome outcome);

    /**
     * As {@link #finished(RunOutcome)}, answering through {@code done} once the outcome is durable,
     * possibly later and from another thread (outcomes that arrive together are stored in one
     * transaction). By default at once, on the caller's thread.
     */
    default void finished(RunOutcome outcome, Recorded done) {
      boolean fresh;
      try {
        fresh = finished(outcome);
      } catch (RuntimeException e) {
        done.failed(e);
        return;
      }
      done.recorded(fresh);
    }
  }

  /** The answer to {@link Events#finished(RunOutcome, Recorded)}. */
  interface Recorded {
    /** The outcome is durable; {@code fresh} is false for a repeated result. */
    void recorded(boolean fresh);

    /**
     * It was not stored: {@link ResultRecorder.UnknownRunException} when no such run exists, else
     * the failure (the agent sends it again).
     */
    void failed(RuntimeException error);
  }
}
