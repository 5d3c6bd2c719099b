package io.mschedule.master.store;

import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunOutput;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Persistence of tasks, runs and run output. Every write that changes state is a compare-and-set.
 */
public interface TaskStore {
  /** {@link #insert(Task, List, String, Duration)} without a lease (a lone master). */
  default boolean insert(Task task, List<Run> runs) {
    return insert(task, runs, null, null);
  }

  /**
   * Stores a new task with all its runs (state WAITING) in one transaction, and in it the task's
   * lease when {@code masterId} is given: held by {@code masterId}, epoch 1, for {@code leaseTtl}
   * from the database's clock (see {@link LeaseStore}). Returns false, and stores nothing, when the
   * task is for a schedule slot that already has a task.
   */
  default boolean insert(Task task, List<Run> runs, String masterId, Duration leaseTtl) {
    return insertAll(List.of(new NewTask(task, runs, null)), masterId, leaseTtl).get(0);
  }

  /**
   * Stores new tasks as {@link #insert(Task, List, String, Duration)} does, all in one transaction,
   * each with its audit entry. Returns for each task whether it was stored. Only a single task is
   * refused on its own (false) for a schedule slot that already has a task; in a larger batch that
   * refusal fails the whole batch with an exception, and nothing is stored: store the tasks one at
   * a time then.
   */
  List<Boolean> insertAll(List<NewTask> tasks, String masterId, Duration leaseTtl);

  /** The task created for the newest slot of a schedule, if any. */
  Optional<Task> latestOfSchedule(String schedule);

  Optional<Task> findTask(String id);

  /**
   * Ids of tasks that start with {@code prefix} (lower-case hex), in id order, at most {@code
   * limit}. This default knows exact ids only; stores look prefixes up.
   */
  default List<String> taskIdsStartingWith(String prefix, int limit) {
    return findTask(prefix).map(t -> List.of(t.id())).orElse(List.of());
  }

  /** Newest first. */
  List<Task> recentTasks(int limit);

  /** Tasks that match {@code query}, newest first. */
  default List<Task> tasks(TaskQuery query) {
    throw new UnsupportedOperationException("tasks(query) is not supported by this store");
  }

  /** Runs still WAITING in tasks that are PENDING or RUNNING: the dispatch queue. */
  default long waitingRuns() {
    throw new UnsupportedOperationException("waitingRuns() is not supported by this store");
  }

  /**
   * Deletes up to {@code batch} ended tasks that finished before {@code cutoff}, with their runs
   * and output, in one transaction; oldest first. Unfinished tasks are never deleted. Returns the
   * number of tasks deleted: below {@code batch} when no more are due.
   */
  default int purgeFinishedBefore(Instant cutoff, int batch) {
    throw new UnsupportedOperationException("purge is not supported by this store");
  }

  /** Tasks in PENDING or RUNNING, oldest first (what dispatch resumes after a restart). */
  List<Task> unfinishedTasks();

  /** Runs of a task ordered by seq. */
  List<Run> runs(String taskId);

  Optional<Run> findRun(String taskId, String agentId);

  /** Replaces the task row if its stored state is still {@code expected}; false otherwise. */
  boolean updateTask(Task updated, TaskState expected);

  /** Replaces the run row if its stored state is still {@code expected}; false otherwise. */
  boolean updateRun(Run updated, RunState expected);

  /**
   * {@link #updateRun(Run, RunState)} for each run of {@code updated} (runs of one task), in one
   * transaction where the store can: a fan-out's starts cost one commit.
   *
   * @return for each run, whether it was updated
   */
  default List<Boolean> updateRuns(List<Run> updated, RunState expected) {
    return updated.stream().map(r -> updateRun(r, expected)).toList();
  }

  /**
   * A task's start with the start of its first runs, for {@link #startTasks}: the task
   * compare-and-set on {@code expected}, then its runs on {@code expectedRuns}, fenced by {@code
   * lease} where masters share the database (null: a lone master).
   */
  record TaskStart(
      Task begun, TaskState expected, List<Run> runs, RunState expectedRuns, Lease lease) {
    public TaskStart {
      runs = List.copyOf(runs);
    }

    /** The same start, fenced by {@code held}. */
    public TaskStart fencedBy(Lease held) {
      return new TaskStart(begun, expected, runs, expectedRuns, held);
    }
  }

  /**
   * A task change for {@link #updateTasks}: compare-and-set on {@code expected}, fenced by {@code
   * lease} where masters share the database (null: a lone master).
   */
  record TaskChange(Task updated, TaskState expected, Lease lease) {
    /** The same change, fenced by {@code held}. */
    public TaskChange fencedBy(Lease held) {
      return new TaskChange(updated, expected, held);
    }
  }

  /**
   * Tasks' starts, each with the start of its first runs, in one transaction (a group commit): so
   * the tasks a coordinator pass begins cost one commit. For each start, in order: whether each of
   * its runs was updated, or null when the task was not (nothing is written for it).
   *
   * @throws LeaseLostException when a start's lease is not held any more (nothing is written)
   */
  default List<List<Boolean>> startTasks(List<TaskStart> starts) {
    List<List<Boolean>> won = new ArrayList<>(starts.size());
    for (TaskStart t : starts) {
      if (t.lease() != null) {
        throw new UnsupportedOperationException("leases are not supported by this store");
      }
      won.add(updateTask(t.begun(), t.expected()) ? updateRuns(t.runs(), t.expectedRuns()) : null);
    }
    return won;
  }

  /**
   * Task changes in one transaction (a group commit): so the tasks a coordinator pass ends cost one
   * commit. For each change, in order, whether it was stored.
   *
   * @throws LeaseLostException when a change's lease is not held any more (nothing is written)
   */
  default List<Boolean> updateTasks(List<TaskChange> changes) {
    List<Boolean> won = new ArrayList<>(changes.size());
    for (TaskChange c : changes) {
      if (c.lease() != null) {
        throw new UnsupportedOperationException("leases are not supported by this store");
      }
      won.add(updateTask(c.updated(), c.expected()));
    }
    return won;
  }

  /**
   * Records a run's end and its output in one transaction, if the stored state is still {@code
   * expected}. Returns false (and stores nothing) otherwise: a result is recorded once.
   */
  boolean completeRun(Run finished, RunState expected, byte[] output);

  /**
   * Starts the next attempt of an ended run, if the stored run is still {@code ended} (same state
   * and attempt): in one transaction the ended attempt is kept among the run's {@link #attempts},
   * its output is dropped, and the run row becomes {@code next}. Returns false (and changes
   * nothing) otherwise.
   */
  default boolean retryRun(Run ended, Run next) {
    throw new UnsupportedOperationException("retries are not supported by this store");
  }

  /** The earlier attempts of every run of a task that was retried, by seq then attempt. */
  default List<Run> attempts(String taskId) {
    return List.of();
  }

  /** As {@link #completeRun(Run, RunState, byte[])}, keeping which stream each byte came from. */
  default boolean completeRun(Run finished, RunState expected, RunOutput output) {
    return completeRun(finished, expected, output == null ? null : output.data());
  }

  /** One run's end to record: the arguments of {@link #completeRun(Run, RunState, RunOutput)}. */
  record Completion(Run finished, RunState expected, RunOutput output) {}

  /**
   * Records several runs' ends in one transaction (a group commit), each as {@link
   * #completeRun(Run, RunState, RunOutput)} would: for each, in order, whether it was recorded
   * (false: its stored state was no longer the expected one). If the transaction fails, nothing is
   * recorded and the exception is thrown. By default one transaction each.
   */
  default List<Boolean> completeRuns(List<Completion> all) {
    List<Boolean> won = new ArrayList<>(all.size());
    for (Completion c : all) {
      won.add(completeRun(c.finished(), c.expected(), c.output()));
    }
    return won;
  }

  /** The stored output of one run (empty when none). */
  byte[] output(String taskId, String agentId);

  /** Stored outputs of every run of a task that has one, keyed by agent id. */
  Map<String, byte[]> outputs(String taskId);

  /**
   * As {@link #updateTask(Task, TaskState)}, only while {@code lease} is current (same epoch, not
   * expired), checked in the same transaction as the write.
   *
   * @throws LeaseLostException when the lease is not held any more (nothing is written)
   */
  default boolean updateTask(Task updated, TaskState expected, Lease lease) {
    throw new UnsupportedOperationException("leases are not supported by this store");
  }

  /**
   * As {@link #updateRun(Run, RunState)}, only while {@code lease} is current.
   *
   * @throws LeaseLostException when the lease is not held any more (nothing is written)
   */
  default boolean updateRun(Run updated, RunState expected, Lease lease) {
    throw new UnsupportedOperationException("leases are not supported by this store");
  }

  /**
   * As {@link #updateRun(Run, RunState, Lease)} for each run of {@code updated} (runs of the
   * lease's task), in one transaction: a fan-out's starts cost one commit.
   *
   * @return for each run, whether it was updated
   * @throws LeaseLostException when the lease is not held any more (nothing is written)
   */
  default List<Boolean> updateRuns(List<Run> updated, RunState expected, Lease lease) {
    List<Boolean> won = new ArrayList<>(updated.size());
    for (Run r : updated) {
      won.add(updateRun(r, expected, lease));
    }
    return won;
  }

  /**
   * As {@link #retryRun(Run, Run)}, only while {@code lease} is current.
   *
   * @throws LeaseLostException when the lease is not held any more (nothing is written)
   */
  default boolean retryRun(Run ended, Run next, Lease lease) {
    throw new UnsupportedOperationException("leases are not supported by this store");
  }

  /** As {@link #outputs}, with the streams (this default knows none: everything is stdout). */
  default Map<String, RunOutput> runOutputs(String taskId) {
    Map<String, RunOutput> out = new java.util.LinkedHashMap<>();
    outputs(taskId).forEach((agent, data) -> out.put(agent, RunOutput.stdout(data)));
    return out;
  }
}
