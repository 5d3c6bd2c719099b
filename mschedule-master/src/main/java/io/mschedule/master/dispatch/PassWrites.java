package io.mschedule.master.dispatch;

import io.mschedule.master.store.GroupCommit;
import io.mschedule.master.store.TaskStore.TaskChange;
import io.mschedule.master.store.TaskStore.TaskStart;
import io.mschedule.master.task.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The writes of one coordinator pass that all its tasks share: a plan that is only a task's start
 * with its first runs', or only its end, is kept here and written with the others of the pass in
 * one transaction (at most {@code maxBatch} tasks each; a transaction that fails is retried one
 * task at a time). The coordinator then carries out what follows each write. Coordinator thread
 * only.
 */
final class PassWrites {
  /** A kept plan, its write, and once written what the store answered. */
  static final class Deferred<W, R> {
    final ActiveTask at;
    final Plan plan;
    final W write;
    private R answer;
    private boolean written;

    Deferred(ActiveTask at, Plan plan, W write) {
      this.at = at;
      this.plan = plan;
      this.write = write;
    }

    R answer() {
      return answer;
    }
  }

  private final TaskOwnership ownership;
  private final int maxBatch;
  private final List<Deferred<TaskStart, List<Boolean>>> starts = new ArrayList<>();
  private final List<Deferred<TaskChange, Boolean>> ends = new ArrayList<>();

  PassWrites(TaskOwnership ownership, int maxBatch) {
    this.ownership = ownership;
    this.maxBatch = maxBatch;
  }

  /** Keeps {@code plan} for the pass's shared writes; false when it is not such a plan. */
  boolean defer(ActiveTask at, Plan plan, Instant now) {
    List<Action> actions = plan.actions();
    Task task = at.task();
    if (actions.size() == 1 && actions.get(0) instanceof Action.Finish f) {
      Task ended = task.moveTo(f.end(), task.reason(), now);
      ends.add(new Deferred<>(at, plan, new TaskChange(ended, task.state(), null)));
      return true;
    }
    if (plan.onlyBegins()) {
      TaskStart start = TaskCoordinator.startOf(task, actions.subList(1, actions.size()), now);
      starts.add(new Deferred<>(at, plan, start));
      return true;
    }
    return false;
  }

  /**
   * Writes the kept starts; returns those written, each with, per run, whether it was stored (null:
   * the task was not). {@code failed} is told of each start that could not be written.
   */
  List<Deferred<TaskStart, List<Boolean>>> writeStarts(
      BiConsumer<ActiveTask, RuntimeException> failed) {
    return write(starts, ownership::startTasks, failed);
  }

  /** Writes the kept ends; returns those written, each with whether it was stored. */
  List<Deferred<TaskChange, Boolean>> writeEnds(BiConsumer<ActiveTask, RuntimeException> failed) {
    return write(ends, ownership::updateTasks, failed);
  }

  private <W, R> List<Deferred<W, R>> write(
      List<Deferred<W, R>> kept,
      Function<List<W>, List<R>> store,
      BiConsumer<ActiveTask, RuntimeException> failed) {
    List<Deferred<W, R>> all = new ArrayList<>(kept);
    kept.clear();
    for (int i = 0; i < all.size(); i += maxBatch) {
      GroupCommit.writeOrSplit(
          all.subList(i, Math.min(all.size(), i + maxBatch)),
          batch -> {
            List<R> answers = store.apply(batch.stream().map(d -> d.write).toList());
            for (int k = 0; k < batch.size(); k++) {
              batch.get(k).answer = answers.get(k);
              batch.get(k).written = true;
            }
          },
          (d, e) -> failed.accept(d.at, e));
    }
    all.removeIf(d -> !d.written);
    return all;
  }
}
