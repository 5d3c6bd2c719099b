package io.mschedule.master.store;

import io.mschedule.master.task.Run;
import io.mschedule.master.task.Task;
import java.util.List;

/**
 * A task to store with its runs and the audit entry of its submission (null: none), which is stored
 * in the same transaction.
 */
public record NewTask(Task task, List<Run> runs, AuditEntry audit) {
  public NewTask {
    runs = List.copyOf(runs);
  }
}
