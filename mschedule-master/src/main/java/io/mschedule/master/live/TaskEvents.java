package io.mschedule.master.live;

import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans out live task changes to viewers (SSE) and keeps the tail of each running run's output, so a
 * viewer who arrives mid-run sees what was printed so far. The stored output of a finished run is
 * authoritative; live output is best-effort.
 */
public final class TaskEvents {
  private static final Logger log = LoggerFactory.getLogger(TaskEvents.class);

  /** Live output kept per running run for late viewers. */
  public static final int LIVE_TAIL_BYTES = 64 * 1024;

  private final Map<String, Set<TaskEventListener>> listeners = new ConcurrentHashMap<>();
  private final Map<RunKey, LiveBuffer> live = new ConcurrentHashMap<>();
  private final Set<TaskEventListener> everyTask = new CopyOnWriteArraySet<>();

  /** The runs in state RUNNING, as told by {@link #run}: only they may have live output. */
  private final Set<RunKey> running = ConcurrentHashMap.newKeySet();

  private record RunKey(String taskId, String agentId) {}

  private static final class LiveBuffer {
    long nextSeq;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    synchronized boolean append(long seq, byte[] data) {
      if (seq < nextSeq) {
        return false;
      }
      nextSeq = seq + 1;
      bytes.writeBytes(data);
      if (bytes.size() > 2 * LIVE_TAIL_BYTES) {
        byte[] all = bytes.toByteArray();
        bytes.reset();
        bytes.write(all, all.length - LIVE_TAIL_BYTES, LIVE_TAIL_BYTES);
      }
      return true;
    }

    synchronized LiveSnapshot snapshot() {
      return new LiveSnapshot(bytes.toByteArray(), nextSeq);
    }
  }

  public AutoCloseable subscribe(String taskId, TaskEventListener listener) {
    listeners.computeIfAbsent(taskId, k -> new CopyOnWriteArraySet<>()).add(listener);
    return () -> {
      Set<TaskEventListener> set = listeners.get(taskId);
      if (set != null) {
        set.remove(listener);
        if (set.isEmpty()) {
          listeners.remove(taskId, set);
        }
      }
    };
  }

  /** Adds a listener that sees the changes of every task (metrics); it is never removed. */
  public void subscribeAll(TaskEventListener listener) {
    everyTask.add(listener);
  }

  public void task(Task task) {
    each(task.id(), l -> l.onTask(task));
  }

  public void run(Run run) {
    run(run, null);
  }

  /** A run changed; {@code output} is its stored output when it just ended with a result. */
  public void run(Run run, byte[] output) {
    RunKey key = new RunKey(run.taskId(), run.agentId());
    if (run.state() == RunState.RUNNING) {
      running.add(key);
    } else {
      running.remove(key);
      live.remove(key);
    }
    each(run.taskId(), l -> l.onRun(run, output));
  }

  /** Whether the task's run on the agent is RUNNING (the last change {@link #run} was told). */
  public boolean isRunning(String taskId, String agentId) {
    return running.contains(new RunKey(taskId, agentId));
  }

  /** How many runs keep a live output buffer. */
  public int liveBuffers() {
    return live.size();
  }

  /**
   * A chunk of live output; a chunk seen before (same or lower seq) is ignored, and so is output
   * for a run that is not running (no buffer is kept for it).
   */
  public void output(String taskId, String agentId, long seq, byte[] data) {
    RunKey key = new RunKey(taskId, agentId);
    if (!running.contains(key)) {
      return;
    }
    LiveBuffer buf = live.computeIfAbsent(key, k -> new LiveBuffer());
    if (!running.contains(key)) {
      live.remove(key, buf); // the run ended meanwhile
      return;
    }
    if (buf.append(seq, data)) {
      each(taskId, l -> l.onOutput(agentId, seq, data));
    }
  }

  /**
   * What a running run printed so far (its tail), and the seq of the next chunk: a viewer who takes
   * this snapshot after subscribing skips chunks below {@code nextSeq}.
   */
  public record LiveSnapshot(byte[] output, long nextSeq) {}

  /** Output printed so far by the task's running runs, keyed by agent id. */
  public Map<String, LiveSnapshot> liveOutput(String taskId) {
    Map<String, LiveSnapshot> out = new HashMap<>();
    live.forEach(
        (k, v) -> {
          if (k.taskId().equals(taskId)) {
            out.put(k.agentId(), v.snapshot());
          }
        });
    return out;
  }

  private void each(String taskId, java.util.function.Consumer<TaskEventListener> call) {
    everyTask.forEach(l -> deliver(l, call));
    Set<TaskEventListener> set = listeners.get(taskId);
    if (set == null) {
      return;
    }
    for (TaskEventListener l : List.copyOf(set)) {
      deliver(l, call);
    }
  }

  private static void deliver(
      TaskEventListener l, java.util.function.Consumer<TaskEventListener> call) {
    try {
      call.accept(l);
    } catch (RuntimeException e) {
      log.warn("task event listener failed", e);
    }
  }
}
