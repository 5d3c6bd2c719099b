package io.mschedule.master.task;

import java.util.List;

/**
 * The files of a task.
 *
 * @param copy true for a copy task ({@code mschedule cp}): its runs only put the files in place
 */
public record TaskFiles(List<TaskFile> files, boolean copy) {
  /** A task without files. */
  public static final TaskFiles NONE = new TaskFiles(List.of(), false);

  public TaskFiles {
    files = files == null ? List.of() : List.copyOf(files);
  }

  public boolean isEmpty() {
    return files.isEmpty();
  }
}
