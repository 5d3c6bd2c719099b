package io.mschedule.master.dispatch;

import io.mschedule.master.agents.AgentListener;
import io.mschedule.master.agents.AgentRegistry;
import io.mschedule.master.live.TaskEvents;
import io.mschedule.master.loop.PeriodicLoop;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.task.FailureThreshold;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskState;
import io.mschedule.protocol.message.KillOrder;
import io.mschedule.protocol.message.TaskOrder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives every unfinished task: hands runs to agents within the parallel window, aborts on the
 * failure thresholds, kills, detects lost runs and ends tasks. All decisions are taken on the
 * coordinator's own thread; other threads post work to its inbox and wake it.
 */
public final class TaskCoordinator extends PeriodicLoop implements AgentListener {
  private static final Logger log = LoggerFactory.getLogger(TaskCoordinator.class);

  private final TaskStore store;
  private final AgentRegistry registry;
  private final AgentLinks links;
  private final TaskEvents events;
  private final Clock clock;
  private final Duration resultGrace;
  private final Instant upSince;
  private final Queue<Runnable> inbox = new ConcurrentLinkedQueue<>();
  private final Map<String, ActiveTask> active = new LinkedHashMap<>();

  public TaskCoordinator(
      TaskStore store,
      AgentRegistry registry,
      AgentLinks links,
      TaskEvents events,
      Clock clock,
      Duration resultGrace) {
    super("mschedule-dispatch", Duration.ofSeconds(1));
    this.store = store;
    this.registry = registry;
    this.links = links;
    this.events = events;
    this.clock = clock;
    this.resultGrace = resultGrace;
    this.upSince = clock.instant();
  }

  /** Loads unfinished tasks from the store so dispatch resumes where it stopped. */
  public void resume() {
    for (Task t : store.unfinishedTasks()) {
      post(() -> active.putIfAbsent(t.id(), new ActiveTask(t, store.runs(t.id()))));
    }
  }

  public void submitted(Task task, List<Run> runs) {
    post(() -> active.put(task.id(), new ActiveTask(task, runs)));
  }

  /** A run ended (its result is already stored). */
  public void runFinished(Run run) {
    post(
        () -> {
          ActiveTask at = active.get(run.taskId());
          if (at != null) {
            at.runs.put(run.agentId(), run);
          }
        });
  }

  /** Kills a task: pending runs are skipped, runs in flight are killed. */
  public CompletableFuture<Task> kill(String taskId, String by) {
    CompletableFuture<Task> done = new CompletableFuture<>();
    post(
        () -> {
          ActiveTask at = active.get(taskId);
          if (at == null || at.task.state().isFinal()) {
            done.complete(null);
            return;
          }
          if (at.task.stopping() != TaskState.KILLED) {
            String why = by == null ? "killed" : "killed by " + by;
            saveTask(at, at.task.stopTowards(TaskState.KILLED, why));
          }
          reconcile(at, clock.instant());
          done.complete(at.task);
        });
    return done;
  }

  /** An agent opened its order stream: hand it again what it should be running. */
  public void subscribed(String agentId) {
    post(
        () -> {
          for (ActiveTask at : active.values()) {
            Run r = at.runs.get(agentId);
            if (r != null && r.state() == RunState.RUNNING) {
              if (at.task.stopping() != null) {
                links.send(agentId, new KillOrder(at.task.id()));
              } else {
                links.send(agentId, order(at.task));
              }
            }
          }
        });
  }

  @Override
  public void onOnline(String agentId) {
    wake();
  }

  @Override
  public void onOffline(String agentId) {
    wake();
  }

  private void post(Runnable r) {
    inbox.add(r);
    wake();
  }

  @Override
  public void runOnce() {
    Runnable r;
    while ((r = inbox.poll()) != null) {
      r.run();
    }
    Instant now = clock.instant();
    for (ActiveTask at : new ArrayList<>(active.values())) {
      try {
        reconcile(at, now);
      } catch (RuntimeException e) {
        log.error("task {}: reconcile failed, will retry", at.task.id(), e);
      }
      if (at.task.state().isFinal()) {
        active.remove(at.task.id());
      }
    }
  }

  private void reconcile(ActiveTask at, Instant now) {
    detectLost(at, now);
    if (at.task.stopping() == null) {
      String reason =
          FailureThreshold.check(
              at.task.failCount(), at.task.failRate(), at.failures(), at.runs.size());
      if (reason != null) {
        saveTask(at, at.task.stopTowards(TaskState.ABORTED, reason));
      }
    }
    if (at.task.stopping() != null) {
      stop(at, now);
    } else {
      dispatch(at, now);
    }
    if (at.allFinal()) {
      finish(at, now);
    }
  }

  /**
   * After the master starts, agents need time to notice, reconnect and re-register (a heartbeat
   * that was in flight to the old master must time out first): no run is declared lost before this
   * much time has passed since the start, nor before the offline timeout.
   */
  static final Duration MIN_STARTUP_GRACE = Duration.ofSeconds(30);

  private boolean pastStartupGrace(Instant now) {
    Duration grace =
        registry.offlineAfter().compareTo(MIN_STARTUP_GRACE) > 0
            ? registry.offlineAfter()
            : MIN_STARTUP_GRACE;
    return !now.isBefore(upSince.plus(grace));
  }

  private void detectLost(ActiveTask at, Instant now) {
    for (Run r : List.copyOf(at.runs.values())) {
      if (r.state() != RunState.RUNNING) {
        continue;
      }
      boolean agentGone = !registry.isOnline(r.agentId()) && pastStartupGrace(now);
      boolean overdue =
          at.task.timeoutSeconds() > 0
              && r.startedAt() != null
              && now.isAfter(r.startedAt().plusSeconds(at.task.timeoutSeconds()).plus(resultGrace));
      if (agentGone || overdue) {
        log.warn(
            "task {}: run on {} is lost ({})",
            at.task.id(),
            r.hostname(),
            agentGone ? "agent offline" : "result overdue");
        saveRun(at, r, r.moveTo(RunState.LOST, null, r.startedAt(), now));
      }
    }
  }

  private void stop(ActiveTask at, Instant now) {
    for (Run r : List.copyOf(at.runs.values())) {
      if (r.state() == RunState.WAITING) {
        saveRun(at, r, r.moveTo(RunState.SKIPPED, null, null, now));
      } else if (r.state() == RunState.RUNNING && at.killSent.add(r.agentId())) {
        links.send(r.agentId(), new KillOrder(at.task.id()));
      }
    }
  }

  private void dispatch(ActiveTask at, Instant now) {
    int limit = at.task.parallel() == 0 ? Integer.MAX_VALUE : at.task.parallel();
    int inFlight = at.count(RunState.RUNNING);
    for (Run r : List.copyOf(at.runs.values())) {
      if (inFlight >= limit) {
        break;
      }
      if (r.state() != RunState.WAITING) {
        continue;
      }
      String agent = r.agentId();
      if (!links.isLinked(agent)) {
        boolean gone = !registry.isOnline(agent) && pastStartupGrace(now);
        Instant since = at.waitingForLink.computeIfAbsent(agent, k -> now);
        if (gone || now.isAfter(since.plus(registry.offlineAfter()))) {
          saveRun(at, r, r.moveTo(RunState.LOST, null, null, now));
        }
        continue;
      }
      if (at.task.state() == TaskState.PENDING) {
        saveTask(at, at.task.moveTo(TaskState.RUNNING, null, null));
      }
      if (saveRun(at, r, r.moveTo(RunState.RUNNING, null, now, null))) {
        inFlight++;
        if (!links.send(agent, order(at.task))) {
          log.warn(
              "task {}: could not hand the run to {}; resent on reconnect", at.task.id(), agent);
        }
      }
    }
  }

  private void finish(ActiveTask at, Instant now) {
    Task t = at.task;
    TaskState end;
    if (t.stopping() != null) {
      end = t.stopping();
    } else {
      end = at.allSucceeded() ? TaskState.SUCCEEDED : TaskState.FAILED;
    }
    saveTask(at, at.task.moveTo(end, at.task.reason(), now));
    log.info("task {} ended {}{}", t.id(), end, t.reason() == null ? "" : " (" + t.reason() + ")");
  }

  private static TaskOrder order(Task t) {
    return new TaskOrder(
        t.id(),
        t.script().getBytes(StandardCharsets.UTF_8),
        t.timeoutSeconds(),
        t.parallel(),
        t.failRate(),
        t.failCount());
  }

  private void saveTask(ActiveTask at, Task updated) {
    if (!store.updateTask(updated, at.task.state())) {
      throw new IllegalStateException("task " + updated.id() + " changed behind the coordinator");
    }
    at.task = updated;
    events.task(updated);
  }

  /** Stores a run change; when another writer (a result) came first, takes the stored run. */
  private boolean saveRun(ActiveTask at, Run before, Run after) {
    if (store.updateRun(after, before.state())) {
      at.runs.put(after.agentId(), after);
      events.run(after);
      return true;
    }
    Optional<Run> stored = store.findRun(before.taskId(), before.agentId());
    stored.ifPresent(s -> at.runs.put(s.agentId(), s));
    return false;
  }
}
