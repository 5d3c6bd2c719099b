package io.mschedule.master.dispatch;

import io.mschedule.master.store.LeaseLostException;
import io.mschedule.master.store.NewTask;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.store.TaskStore.TaskChange;
import io.mschedule.master.store.TaskStore.TaskStart;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which unfinished tasks this master drives, and the writes it makes for them. A lone master owns
 * every task ({@link SoleOwnership}); masters sharing a database hold a lease per task ({@link
 * LeasedOwnership}). Called from the coordinator's thread only, except {@link #insert}.
 */
public interface TaskOwnership {
  /**
   * Stores new tasks with their runs and audit entries in one transaction, held by this master from
   * the start: where masters share the database, their leases are written in the same transaction.
   * Any thread may call it; the coordinator then {@link #adopt adopts} the tasks.
   *
   * @return for each task, false when it was not stored because its schedule slot already has a
   *     task (see {@link TaskStore#insertAll}: only a single task is refused on its own)
   */
  List<Boolean> insert(List<NewTask> tasks);

  /** Takes a task this master stored through {@link #insert}, without a write. */
  void adopt(String taskId);

  /** Takes the task; false when another master drives it (or it ended). */
  boolean claim(String taskId);

  /** The task ended or was dropped: it is no longer this master's concern. */
  void release(String taskId);

  /**
   * Keeps the tasks held (at most as often as needed, whatever the rate of calls) and returns those
   * lost since the last call: another master took them over.
   */
  Set<String> maintain(Instant now);

  /**
   * Passes a kill on to the master that drives the task. False when no master drives it.
   *
   * @param by who asked (null: unknown)
   */
  boolean requestKill(String taskId, String by);

  /** Kills asked for through other masters on tasks this one drives: task id to who asked. */
  Map<String, String> killRequests(Instant now);

  /** Unfinished tasks that no master drives (their master died), for this one to take over. */
  List<String> orphans(Instant now);

  /**
   * Stores a task change, compare-and-set on {@code expected}.
   *
   * @throws LeaseLostException when this master no longer holds the task
   */
  boolean updateTask(Task updated, TaskState expected);

  /**
   * Stores a run change, compare-and-set on {@code expected}.
   *
   * @throws LeaseLostException when this master no longer holds the task
   */
  boolean updateRun(Run updated, RunState expected);

  /**
   * Stores changes of several runs of one task, each compare-and-set on {@code expected}, in one
   * transaction where the store can.
   *
   * @return for each run, whether it was stored
   * @throws LeaseLostException when this master no longer holds the task
   */
  List<Boolean> updateRuns(List<Run> updated, RunState expected);

  /**
   * Stores tasks' starts with the starts of their first runs in one transaction where the store can
   * (see {@link TaskStore#startTasks}), each fenced by this master's lease on its task where
   * masters share the database.
   *
   * @return for each start, whether each of its runs was stored; null when the task was not
   * @throws LeaseLostException when this master no longer holds one of the tasks (nothing is
   *     written)
   */
  List<List<Boolean>> startTasks(List<TaskStart> starts);

  /**
   * Stores task changes in one transaction where the store can (see {@link TaskStore#updateTasks}),
   * each compare-and-set and fenced as {@link #updateTask}.
   *
   * @return for each change, whether it was stored
   * @throws LeaseLostException when this master no longer holds one of the tasks (nothing is
   *     written)
   */
  List<Boolean> updateTasks(List<TaskChange> changes);

  /**
   * Starts the next attempt of an ended run, compare-and-set on the ended run's state and attempt
   * (see {@link io.mschedule.master.store.TaskStore#retryRun}).
   *
   * @throws LeaseLostException when this master no longer holds the task
   */
  boolean retryRun(Run ended, Run next);
}
