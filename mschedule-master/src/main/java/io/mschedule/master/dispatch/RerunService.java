package io.mschedule.master.dispatch;

import io.mschedule.master.store.TaskStore;
import io.mschedule.master.task.BadRequestException;
import io.mschedule.master.task.FileRequest;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskOrigin;
import io.mschedule.master.task.TaskRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Runs a task's script again, with its settings and parameters, on all or its failed agents. */
public final class RerunService {
  /** The run states a rerun of failed hosts takes again. */
  public static final Set<RunState> FAILED =
      EnumSet.of(
          RunState.FAILED,
          RunState.FAILED_TO_START,
          RunState.TIMED_OUT,
          RunState.LOST,
          RunState.SKIPPED);

  private final TaskStore store;
  private final TaskService tasks;

  public RerunService(TaskStore store, TaskService tasks) {
    this.store = store;
    this.tasks = tasks;
  }

  /**
   * The new task, or empty when {@code taskId} does not exist.
   *
   * @param failedOnly only the agents whose run ended in one of {@link #FAILED}
   * @throws BadRequestException when there is no agent to run on
   */
  public Optional<Task> rerun(String taskId, boolean failedOnly, String createdBy) {
    return rerun(taskId, failedOnly, createdBy, null, null);
  }

  /**
   * As above, with other retry settings than the task's ({@code retries} and {@code retryDelay} in
   * seconds; null keeps the task's).
   */
  public Optional<Task> rerun(
      String taskId, boolean failedOnly, String createdBy, Integer retries, Integer retryDelay) {
    Optional<Task> found = store.findTask(taskId);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Task t = found.get();
    List<String> agents =
        store.runs(taskId).stream()
            .filter(r -> !failedOnly || FAILED.contains(r.state()))
            .map(Run::agentId)
            .toList();
    if (agents.isEmpty()) {
      throw new BadRequestException(
          "hosts",
          "hosts: task "
              + taskId
              + (failedOnly ? " has no failed runs (" + FAILED + ")" : " has no runs"));
    }
    TaskOrigin o = t.origin();
    TaskRequest again =
        new TaskRequest(
            t.script(),
            agents,
            (long) t.parallel(),
            t.failRate(),
            t.failCount(),
            t.timeoutSeconds(),
            t.env(),
            null,
            new TaskOrigin(o.job(), o.jobVersion(), null, null, taskId),
            t.files().files().stream()
                .map(f -> new FileRequest(f.sha256(), f.dest(), f.mode(), f.owner()))
                .toList(),
            t.files().copy(),
            retries == null ? t.retry().retries() : retries,
            retryDelay == null ? t.retry().delaySeconds() : retryDelay);
    return Optional.of(tasks.submit(again, createdBy));
  }
}
