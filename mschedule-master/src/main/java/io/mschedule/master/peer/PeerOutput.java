package io.mschedule.master.peer;

import io.mschedule.master.live.TaskEvents;
import io.mschedule.master.store.LiveOutputChunk;
import io.mschedule.master.store.LiveOutputStore;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.protocol.message.StdStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live output across masters sharing a database. The chunks the agents linked here send are queued
 * ({@link #queue}, on the I/O threads) and written by the pump's thread, one transaction per pass;
 * the chunks other masters wrote for the tasks that have viewers here are read on the same thread
 * and given to the local {@link TaskEvents} (which skips chunks it has seen, so the rows of the
 * pass before are read again), never queued again. Best effort: past {@link #MAX_QUEUED_BYTES}
 * waiting, or when the database cannot take them, chunks are dropped and counted (the output stored
 * when a run ends is complete).
 */
public final class PeerOutput {
  private static final Logger log = LoggerFactory.getLogger(PeerOutput.class);

  /** Bytes of output waiting to be written, at most. */
  public static final long MAX_QUEUED_BYTES = 4L << 20;

  /** Rows older than this are deleted. */
  public static final Duration KEEP = Duration.ofMinutes(2);

  /** How often this master deletes old rows. */
  static final Duration PURGE_EVERY = Duration.ofSeconds(10);

  /** Rows read per pass. */
  static final int READ_BATCH = 1000;

  private final LiveOutputStore store;
  private final TaskEvents live;
  private final String masterId;
  private final Clock clock;

  private final Queue<LiveOutputChunk> queued = new ConcurrentLinkedQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean dropping;

  // the pump's thread only
  private long cursor;
  // where the next read starts: the cursor of the pass before, so a row whose id was taken before
  // the last one read but committed after it (another master's transaction) is still seen
  private long from;
  private Set<String> watched = Set.of();
  private Instant nextPurge = Instant.MIN;
  private boolean unreachable;

  /**
   * Runs this master follows only for its viewers (neither driven nor held here), task id to agent
   * ids: forgotten when the task has no viewer left.
   */
  private final Map<String, Set<String>> followed = new HashMap<>();

  private final TaskStore tasks;

  public PeerOutput(
      LiveOutputStore store, TaskStore tasks, TaskEvents live, String masterId, Clock clock) {
    this.store = store;
    this.tasks = tasks;
    this.live = live;
    this.masterId = masterId;
    this.clock = clock;
  }

  /** Queues a chunk an agent linked here sent, for the viewers on other masters. Never blocks. */
  public void queue(
      String taskId, String agentId, long seq, long offset, boolean stderr, byte[] data) {
    if (queuedBytes.addAndGet(data.length) > MAX_QUEUED_BYTES) {
      queuedBytes.addAndGet(-data.length);
      drop(1);
      return;
    }
    queued.add(new LiveOutputChunk(0, taskId, agentId, seq, offset, stderr, data, masterId));
  }

  /** How many chunks were dropped instead of written, since this master started. */
  public long dropped() {
    return dropped.get();
  }

  private void drop(long n) {
    dropped.addAndGet(n);
    if (!dropping) {
      dropping = true;
      log.warn("live output for other masters cannot be written fast enough: dropping chunks");
    }
  }

  /**
   * Writes the queued chunks, reads those of other masters for the tasks with viewers here, and
   * deletes old rows now and then. Returns whether more rows may be waiting to be read.
   */
  public boolean pass() {
    try {
      write();
      boolean more = read();
      purge();
      if (unreachable) {
        unreachable = false;
        log.info("live output can be shared with other masters again");
      }
      return more;
    } catch (RuntimeException e) {
      if (!unreachable) {
        unreachable = true;
        log.warn("cannot share live output with other masters: {}", e.toString());
      }
      return false;
    }
  }

  private void write() {
    List<LiveOutputChunk> batch = new ArrayList<>();
    long bytes = 0;
    LiveOutputChunk c;
    while ((c = queued.poll()) != null) {
      batch.add(c);
      bytes += c.data().length;
    }
    if (batch.isEmpty()) {
      return;
    }
    queuedBytes.addAndGet(-bytes);
    try {
      store.write(batch);
    } catch (RuntimeException e) {
      drop(batch.size());
      throw e;
    }
    if (dropping) {
      dropping = false;
      log.info(
          "live output for other masters is written again ({} chunks dropped so far)", dropped());
    }
  }

  private boolean read() {
    Set<String> now = live.watchedTasks();
    unfollow(now);
    if (now.isEmpty()) {
      watched = now;
      return false;
    }
    // a task with new viewers: read what the table keeps of it (chunks seen before are skipped)
    boolean fresh = !watched.containsAll(now);
    List<LiveOutputChunk> rows = store.read(now, fresh ? 0 : from, masterId, READ_BATCH);
    watched = now;
    Set<String> checked = new HashSet<>();
    for (LiveOutputChunk r : rows) {
      follow(r.taskId(), r.agentId(), checked);
      live.output(
          r.taskId(),
          r.agentId(),
          r.seq(),
          r.offset(),
          r.stderr() ? StdStream.STDERR : StdStream.STDOUT,
          r.data());
    }
    long last = rows.isEmpty() ? cursor : rows.get(rows.size() - 1).id();
    boolean full = rows.size() == READ_BATCH;
    from = full ? last : cursor; // a full page goes on from its end at once
    cursor = full ? last : Math.max(cursor, last);
    return full;
  }

  /**
   * A chunk of a run this master does not track (another master drives the task and a third holds
   * the agent): followed for the viewers here while the run is RUNNING in the store.
   */
  private void follow(String taskId, String agentId, Set<String> checked) {
    if (live.isRunning(taskId, agentId) || !checked.add(taskId + "/" + agentId)) {
      return;
    }
    Optional<Run> run = tasks.findRun(taskId, agentId);
    if (run.isPresent() && run.get().state() == RunState.RUNNING) {
      live.track(taskId, agentId);
      followed.computeIfAbsent(taskId, k -> new HashSet<>()).add(agentId);
    }
  }

  /** Forgets the runs followed for tasks that no longer have viewers here. */
  private void unfollow(Set<String> watchedNow) {
    for (var it = followed.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!watchedNow.contains(e.getKey())) {
        e.getValue().forEach(agentId -> live.untrack(e.getKey(), agentId));
        it.remove();
      }
    }
  }

  /** How many runs are followed only for the viewers here. */
  int followedRuns() {
    return followed.values().stream().mapToInt(Set::size).sum();
  }

  private void purge() {
    Instant t = clock.instant();
    if (t.isBefore(nextPurge)) {
      return;
    }
    nextPurge = t.plus(PURGE_EVERY);
    store.purge(KEEP);
  }
}
