package io.mschedule.master.files;

import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskFile;
import io.mschedule.protocol.message.FetchFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Serves pieces of stored files to agents ({@code fetch_file}): only to an agent that has a run of
 * the task going, and only files that task names.
 */
public final class FileServing {
  private static final int CACHED_TASKS = 256;

  private final FileStore store;
  private final Function<String, Optional<Task>> tasks;
  private final BiPredicate<String, String> running;
  private final Map<String, Set<String>> filesOfTask = new ConcurrentHashMap<>();

  /**
   * @param tasks finds a task by id
   * @param running whether (task id, agent id) is a run in flight
   */
  public FileServing(
      FileStore store,
      Function<String, Optional<Task>> tasks,
      BiPredicate<String, String> running) {
    this.store = store;
    this.tasks = tasks;
    this.running = running;
  }

  /** A refused request; the message says why. */
  public static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message);
    }
  }

  /**
   * The piece asked for; empty past the end of the file.
   *
   * @throws Refused when the agent may not have it, or the request is out of bounds
   */
  public byte[] fetch(FetchFile f) {
    if (!FileStore.isSha256(f.sha256())) {
      throw new Refused("fetch_file.payload.sha256: expected 64 lower-case hex characters");
    }
    if (f.offset() < 0) {
      throw new Refused("fetch_file.payload.offset: must not be negative, got " + f.offset());
    }
    if (!running.test(f.id(), f.agentId())) {
      throw new Refused(
          "fetch_file: task " + clip(f.id()) + " has no running run on agent " + f.agentId());
    }
    if (!files(f.id()).contains(f.sha256())) {
      throw new Refused("fetch_file: task " + clip(f.id()) + " has no file " + f.sha256());
    }
    try {
      return store.read(f.sha256(), f.offset(), f.length());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read stored file " + f.sha256(), e);
    }
  }

  private Set<String> files(String taskId) {
    Set<String> known = filesOfTask.get(taskId);
    if (known != null) {
      return known;
    }
    Set<String> found =
        tasks
            .apply(taskId)
            .map(t -> t.files().files().stream().map(TaskFile::sha256).collect(Collectors.toSet()))
            .orElse(Set.of());
    if (filesOfTask.size() >= CACHED_TASKS) {
      filesOfTask.clear(); // a task's files never change: forgetting only costs a lookup
    }
    filesOfTask.put(taskId, Set.copyOf(found));
    return found;
  }

  private static String clip(String id) {
    return id.length() <= 64 ? id : id.substring(0, 64) + "…";
  }
}
