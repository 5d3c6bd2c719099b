package io.mschedule.master.store;

/**
 * An order passed from one master to another through the database.
 *
 * @param id the row, in the order the orders were written
 * @param kind what to do
 * @param taskId the task
 * @param agentId the agent whose run it is
 * @param attempt the run's attempt the order is for
 */
public record RunOrder(long id, Kind kind, String taskId, String agentId, int attempt) {
  /** What an order asks for. */
  public enum Kind {
    /** Hand the run to its agent (the master holding the agent delivers it). */
    START,
    /** Kill the run on its agent (the master holding the agent delivers it). */
    KILL,
    /** The run ended, recorded by another master (for the master that drives the task). */
    ENDED
  }
}
