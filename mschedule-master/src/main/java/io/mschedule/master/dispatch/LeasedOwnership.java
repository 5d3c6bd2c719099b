package io.mschedule.master.dispatch;

import io.mschedule.master.store.Lease;
import io.mschedule.master.store.LeaseStore;
import io.mschedule.master.store.NewTask;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.store.TaskStore.TaskChange;
import io.mschedule.master.store.TaskStore.TaskStart;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task ownership between masters sharing a database: a lease per task, renewed every third of its
 * time to live, and every write fenced by the lease's epoch. A master that was paused past its
 * lease finds its writes refused and its tasks gone on the next renewal.
 */
public final class LeasedOwnership implements TaskOwnership {
  private static final Logger log = LoggerFactory.getLogger(LeasedOwnership.class);

  /** How many orphaned tasks one pass looks at. */
  static final int ORPHANS_PER_PASS = 100;

  private final TaskStore store;
  private final LeaseStore leases;
  private final String masterId;
  private final Duration ttl;
  private final Duration every;
  private final Map<String, Lease> held = new HashMap<>();
  private Instant nextRenewal = Instant.MIN;
  private Instant nextOrphanScan = Instant.MIN;
  private Instant nextKillScan = Instant.MIN;

  /** How often kills asked for through other masters are looked for. */
  static final Duration KILL_SCAN_EVERY = Duration.ofSeconds(1);

  /**
   * @param ttl how long a lease lasts unrenewed: the time after which the tasks of a master that
   *     stopped are taken over ({@code master-dead-after})
   */
  public LeasedOwnership(TaskStore store, LeaseStore leases, String masterId, Duration ttl) {
    this.store = store;
    this.leases = leases;
    this.masterId = masterId;
    this.ttl = ttl;
    Duration third = ttl.dividedBy(3);
    this.every = third.compareTo(Duration.ofMillis(200)) < 0 ? Duration.ofMillis(200) : third;
  }

  @Override
  public List<Boolean> insert(List<NewTask> tasks) {
    return store.insertAll(tasks, masterId, ttl);
  }

  @Override
  public void adopt(String taskId) {
    held.put(taskId, new Lease(taskId, masterId, 1)); // the lease insert wrote
  }

  @Override
  public boolean claim(String taskId) {
    var lease = leases.claim(taskId, masterId, ttl);
    lease.ifPresent(l -> held.put(taskId, l));
    return lease.isPresent();
  }

  @Override
  public void release(String taskId) {
    held.remove(taskId);
  }

  @Override
  public Set<String> maintain(Instant now) {
    if (now.isBefore(nextRenewal) || held.isEmpty()) {
      return Set.of();
    }
    nextRenewal = now.plus(every);
    Map<String, Lease> current = new HashMap<>();
    for (Lease l : leases.renew(masterId, ttl)) {
      current.put(l.taskId(), l);
    }
    Set<String> lost = new HashSet<>();
    for (var e : held.entrySet()) {
      if (!e.getValue().equals(current.get(e.getKey()))) {
        lost.add(e.getKey());
      }
    }
    lost.forEach(held::remove);
    if (!lost.isEmpty()) {
      log.warn("lost the lease of {} task(s) to another master: {}", lost.size(), lost);
    }
    return lost;
  }

  @Override
  public boolean requestKill(String taskId, String by) {
    return leases.requestKill(taskId, by);
  }

  @Override
  public Map<String, String> killRequests(Instant now) {
    if (now.isBefore(nextKillScan) || held.isEmpty()) {
      return Map.of();
    }
    nextKillScan = now.plus(KILL_SCAN_EVERY);
    return leases.killRequests(masterId);
  }

  @Override
  public List<String> orphans(Instant now) {
    if (now.isBefore(nextOrphanScan)) {
      return List.of();
    }
    nextOrphanScan = now.plus(every);
    return leases.unowned(ORPHANS_PER_PASS).stream().filter(id -> !held.containsKey(id)).toList();
  }

  @Override
  public boolean updateTask(Task updated, TaskState expected) {
    return store.updateTask(updated, expected, lease(updated.id()));
  }

  @Override
  public boolean updateRun(Run updated, RunState expected) {
    return store.updateRun(updated, expected, lease(updated.taskId()));
  }

  @Override
  public List<Boolean> updateRuns(List<Run> updated, RunState expected) {
    if (updated.isEmpty()) {
      return List.of();
    }
    return store.updateRuns(updated, expected, lease(updated.get(0).taskId()));
  }

  @Override
  public List<List<Boolean>> startTasks(List<TaskStart> starts) {
    return store.startTasks(starts.stream().map(t -> t.fencedBy(lease(t.begun().id()))).toList());
  }

  @Override
  public List<Boolean> updateTasks(List<TaskChange> changes) {
    return store.updateTasks(
        changes.stream().map(c -> c.fencedBy(lease(c.updated().id()))).toList());
  }

  @Override
  public boolean retryRun(Run ended, Run next) {
    return store.retryRun(ended, next, lease(ended.taskId()));
  }

  private Lease lease(String taskId) {
    Lease l = held.get(taskId);
    if (l == null) {
      // never claimed: the epoch 0 no lease has, so the store refuses the write
      return new Lease(taskId, masterId, 0);
    }
    return l;
  }
}
