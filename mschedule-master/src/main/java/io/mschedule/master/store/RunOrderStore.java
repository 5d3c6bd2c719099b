package io.mschedule.master.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Orders between masters sharing a database: the master driving a task reaches agents held by other
 * masters, and hears of runs that ended on them. The addressee of an order is looked up when it is
 * picked: the master holding the agent ({@code START}, {@code KILL}), the master holding the task's
 * lease ({@code ENDED}). Times are the database's.
 */
public interface RunOrderStore {
  /** Writes a START or KILL order for the run of {@code agentId} at {@code attempt}. */
  default void order(RunOrder.Kind kind, String taskId, String agentId, int attempt) {
    order(List.of(new RunOrder(0, kind, taskId, agentId, attempt)));
  }

  /** Writes START and KILL orders (their ids are ignored) in one transaction. */
  void order(List<RunOrder> orders);

  /**
   * Tells the master driving the task that the run ended, when that is another master than {@code
   * recordedBy} (nothing is written when {@code recordedBy} drives the task, or no master does).
   */
  default void ended(String taskId, String agentId, int attempt, String recordedBy) {
    ended(List.of(new RunOrder(0, RunOrder.Kind.ENDED, taskId, agentId, attempt)), recordedBy);
  }

  /** As {@link #ended(String, String, int, String)} for several runs, in one transaction. */
  void ended(List<RunOrder> ended, String recordedBy);

  /**
   * Picks orders addressed to {@code masterId}, oldest first, skipping those another master is
   * picking now: the ones {@code accept} takes are deleted and returned, the others stay for a
   * later pass. Orders older than {@code maxAge} are deleted unread.
   */
  List<RunOrder> take(String masterId, int limit, Duration maxAge, Predicate<RunOrder> accept);

  /**
   * The runs in flight on {@code agentId} of unfinished tasks that {@code masterId} does not drive,
   * as START orders (not stored): what an agent that just linked to this master should be running
   * for other masters.
   */
  List<RunOrder> inFlightElsewhere(String agentId, String masterId);

  /**
   * Agents held by another live master (heartbeat within {@code masterDeadAfter}) and seen within
   * {@code seenWithin}: agent id to master id.
   */
  Map<String, String> peerAgents(String masterId, Duration masterDeadAfter, Duration seenWithin);
}
