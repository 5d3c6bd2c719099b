package io.mschedule.master.live;

import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunOutput;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import io.mschedule.protocol.message.OutputChunk;
import io.mschedule.protocol.message.OutputStreams;
import io.mschedule.protocol.message.StdStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
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

  /** The newest chunks of a run, at least {@link #LIVE_TAIL_BYTES} of them when there are. */
  private static final class LiveBuffer {
    long nextSeq;
    long end; // the offset after the last chunk
    long bytes;
    final ArrayDeque<LiveChunk> chunks = new ArrayDeque<>();

    /** The chunk as kept (with its offset), or null when it was seen before. */
    synchronized LiveChunk append(long seq, long offset, StdStream stream, byte[] data) {
      if (seq < nextSeq) {
        return null;
      }
      nextSeq = seq + 1;
      // older agents send no offset: count the bytes received (a dropped chunk shifts the rest)
      LiveChunk chunk = new LiveChunk(seq, offset >= 0 ? offset : end, stream, data);
      end = chunk.end();
      chunks.addLast(chunk);
      bytes += data.length;
      while (bytes - chunks.peekFirst().data().length >= LIVE_TAIL_BYTES) {
        bytes -= chunks.removeFirst().data().length;
      }
      return chunk;
    }

    synchronized LiveSnapshot snapshot() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      OutputStreams.Builder streams = new OutputStreams.Builder();
      long offset = chunks.isEmpty() ? end : chunks.peekFirst().offset();
      long at = offset;
      for (LiveChunk c : chunks) {
        if (c.offset() < at) { // overlaps what is already in (an agent resent it): skip that part
          int skip = (int) Math.min(c.data().length, at - c.offset());
          out.write(c.data(), skip, c.data().length - skip);
          streams.add(c.stream(), c.data().length - skip);
        } else {
          out.writeBytes(c.data());
          streams.add(c.stream(), c.data().length);
        }
        at = Math.max(at, c.end());
      }
      return new LiveSnapshot(out.toByteArray(), nextSeq, offset, streams.build());
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

  /** The ids of the tasks that have viewers now (listeners of every task not counted). */
  public Set<String> watchedTasks() {
    return Set.copyOf(listeners.keySet());
  }

  /** Adds a listener that sees the changes of every task (metrics); it is never removed. */
  public void subscribeAll(TaskEventListener listener) {
    everyTask.add(listener);
  }

  public void task(Task task) {
    each(task.id(), l -> l.onTask(task));
  }

  public void run(Run run) {
    run(run, (RunOutput) null);
  }

  /** A run changed; {@code output} is its stored output when it just ended with a result. */
  public void run(Run run, byte[] output) {
    run(run, output == null ? null : RunOutput.stdout(output));
  }

  /** A run changed; {@code output} is its stored output when it just ended with a result. */
  public void run(Run run, RunOutput output) {
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

  /**
   * Marks a run RUNNING without telling anyone (a run driven and held by other masters, whose
   * output this master's viewers follow); {@link #untrack} ends that.
   */
  public void track(String taskId, String agentId) {
    running.add(new RunKey(taskId, agentId));
  }

  /** Forgets a run marked by {@link #track}, and its live output, without telling anyone. */
  public void untrack(String taskId, String agentId) {
    RunKey key = new RunKey(taskId, agentId);
    running.remove(key);
    live.remove(key);
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
    output(taskId, agentId, seq, OutputChunk.NO_OFFSET, StdStream.STDOUT, data);
  }

  /**
   * As {@link #output(String, String, long, byte[])}, for stdout or (when {@code stderr}) stderr,
   * at {@code offset} in the run's output (-1 when the agent does not say).
   */
  public void output(
      String taskId, String agentId, long seq, long offset, boolean stderr, byte[] data) {
    output(taskId, agentId, seq, offset, stderr ? StdStream.STDERR : StdStream.STDOUT, data);
  }

  /**
   * As {@link #output(String, String, long, byte[])}, for one stream, at {@code offset} in the
   * run's output (-1 when the agent does not say: then the bytes received so far are counted).
   */
  public void output(
      String taskId, String agentId, long seq, long offset, StdStream stream, byte[] data) {
    RunKey key = new RunKey(taskId, agentId);
    if (!running.contains(key)) {
      return;
    }
    LiveBuffer buf = live.computeIfAbsent(key, k -> new LiveBuffer());
    if (!running.contains(key)) {
      live.remove(key, buf); // the run ended meanwhile
      return;
    }
    LiveChunk chunk = buf.append(seq, offset, stream, data);
    if (chunk != null) {
      each(taskId, l -> l.onOutput(agentId, chunk));
    }
  }

  /**
   * What a running run printed so far (its tail), and the seq of the next chunk: a viewer who takes
   * this snapshot after subscribing skips chunks below {@code nextSeq}.
   *
   * @param offset where {@code output} starts in the run's output (0 unless older output was
   *     dropped from the tail kept)
   * @param streams which bytes of {@code output} came from stdout and which from stderr
   */
  public record LiveSnapshot(byte[] output, long nextSeq, long offset, OutputStreams streams) {

    /** The output with its streams. */
    public RunOutput runOutput() {
      return new RunOutput(output, streams.runList());
    }
  }

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
