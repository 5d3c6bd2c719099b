package io.mschedule.master.dispatch;

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

/** The only master: every task is its own, writes are plain compare-and-set. */
public final class SoleOwnership implements TaskOwnership {
  private final TaskStore store;

  public SoleOwnership(TaskStore store) {
    this.store = store;
  }

  @Override
  public List<Boolean> insert(List<NewTask> tasks) {
    return store.insertAll(tasks, null, null);
  }

  @Override
  public void adopt(String taskId) {}

  @Override
  public boolean claim(String taskId) {
    return true;
  }

  @Override
  public void release(String taskId) {}

  @Override
  public Set<String> maintain(Instant now) {
    return Set.of();
  }

  @Override
  public boolean requestKill(String taskId, String by) {
    return false;
  }

  @Override
  public Map<String, String> killRequests(Instant now) {
    return Map.of();
  }

  @Override
  public List<String> orphans(Instant now) {
    return List.of();
  }

  @Override
  public boolean updateTask(Task updated, TaskState expected) {
    return store.updateTask(updated, expected);
  }

  @Override
  public boolean updateRun(Run updated, RunState expected) {
    return store.updateRun(updated, expected);
  }

  @Override
  public List<Boolean> updateRuns(List<Run> updated, RunState expected) {
    return store.updateRuns(updated, expected);
  }

  @Override
  public List<List<Boolean>> startTasks(List<TaskStart> starts) {
    return store.startTasks(starts);
  }

  @Override
  public List<Boolean> updateTasks(List<TaskChange> changes) {
    return store.updateTasks(changes);
  }

  @Override
  public boolean retryRun(Run ended, Run next) {
    return store.retryRun(ended, next);
  }
}
