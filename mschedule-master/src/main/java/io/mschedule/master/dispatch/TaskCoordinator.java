package io.mschedule.master.dispatch;

import io.mschedule.master.agents.AgentListener;
import io.mschedule.master.agents.AgentRegistry;
import io.mschedule.master.live.TaskEvents;
import io.mschedule.master.loop.PeriodicLoop;
import io.mschedule.master.store.AuditEntry;
import io.mschedule.master.store.GroupCommit;
import io.mschedule.master.store.LeaseLostException;
import io.mschedule.master.store.NewTask;
import io.mschedule.master.store.TaskStore;
import io.mschedule.master.store.TaskStore.TaskStart;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import io.mschedule.master.task.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives every unfinished task. The {@link Planner} decides; this loop feeds it and carries out its
 * actions: store writes (compare-and-set), orders through the {@link AgentGateway}, live events.
 * Everything happens on the coordinator's own thread; other threads post to its inbox and wake it.
 */
public final class TaskCoordinator extends PeriodicLoop implements AgentListener {
  private static final Logger log = LoggerFactory.getLogger(TaskCoordinator.class);

  /**
   * After the master starts, agents need time to notice, reconnect and re-register (a heartbeat
   * that was in flight to the old master must time out first): no run is declared lost for an
   * absent agent before this much time has passed since the start, nor before the offline timeout.
   */
  static final Duration MIN_STARTUP_GRACE = Duration.ofSeconds(30);

  /**
   * How long a run of a killed or aborted task may take to confirm the kill: the agent's own kill
   * grace (2 s by default) plus delivery. After it the run is given up (LOST) and the task ends.
   */
  static final Duration KILL_GRACE = Duration.ofSeconds(10);

  private final TaskStore store;
  private final AgentRegistry registry;
  private final AgentGateway gateway;
  private final TaskEvents events;
  private final Clock clock;
  private final Planner planner;
  private final Instant settledAt;
  private final Liveness liveness;
  private final Queue<Runnable> inbox = new ConcurrentLinkedQueue<>();
  private final Map<String, ActiveTask> active = new LinkedHashMap<>();
  private final TaskOwnership ownership;
  private final Duration adoptionGrace;

  /** The most submissions, or task starts or ends of one pass, stored in one transaction. */
  static final int MAX_BATCH = 64;

  /** A new task handed over for storing, and whether it was stored (false: its slot is taken). */
  private record Submission(NewTask task, CompletableFuture<Boolean> stored) {}

  private final GroupCommit<Submission> inserts = new GroupCommit<>(MAX_BATCH, this::insertAll);

  private final PassWrites passWrites;

  /** Tasks taken over from a master that died, and until when their absent agents are not lost. */
  private final Map<String, Instant> adoptedUntil = new HashMap<>();

  /** Orphaned tasks none of whose agents is linked here, and since when they were seen so. */
  private final Map<String, Instant> orphanSince = new HashMap<>();

  /**
   * How often the runs in flight on agents of other masters are read back from the store: the
   * safety net for an end whose notice was lost with the master that recorded it.
   */
  public static final Duration RECHECK_ELSEWHERE = Duration.ofSeconds(30);

  private Instant nextRecheck = Instant.MIN;

  public TaskCoordinator(
      TaskStore store,
      AgentRegistry registry,
      AgentGateway gateway,
      TaskEvents events,
      Clock clock,
      Duration resultGrace) {
    this(store, registry, gateway, events, clock, resultGrace, new SoleOwnership(store), null);
  }

  /**
   * @param ownership which tasks this master drives and how its writes are fenced
   */
  public TaskCoordinator(
      TaskStore store,
      AgentRegistry registry,
      AgentGateway gateway,
      TaskEvents events,
      Clock clock,
      Duration resultGrace,
      TaskOwnership ownership) {
    this(store, registry, gateway, events, clock, resultGrace, ownership, null);
  }

  /**
   * @param ownership which tasks this master drives and how its writes are fenced
   * @param jitter numbers in [0, 1) that spread the delays of retries; null for random ones
   */
  public TaskCoordinator(
      TaskStore store,
      AgentRegistry registry,
      AgentGateway gateway,
      TaskEvents events,
      Clock clock,
      Duration resultGrace,
      TaskOwnership ownership,
      DoubleSupplier jitter) {
    super("mschedule-dispatch", Duration.ofSeconds(1));
    this.ownership = ownership;
    this.passWrites = new PassWrites(ownership, MAX_BATCH);
    this.store = store;
    this.registry = registry;
    this.gateway = gateway;
    this.events = events;
    this.clock = clock;
    this.planner =
        jitter == null
            ? new Planner(resultGrace, registry.offlineAfter(), KILL_GRACE)
            : new Planner(resultGrace, registry.offlineAfter(), KILL_GRACE, jitter);
    Duration grace =
        registry.offlineAfter().compareTo(MIN_STARTUP_GRACE) > 0
            ? registry.offlineAfter()
            : MIN_STARTUP_GRACE;
    this.settledAt = clock.instant().plus(grace);
    this.adoptionGrace = grace;
    this.liveness =
        new Liveness() {
          @Override
          public boolean online(String agentId) {
            return registry.isOnline(agentId) || gateway.heldElsewhere(agentId);
          }

          @Override
          public boolean linked(String agentId) {
            return gateway.isLinked(agentId);
          }

          @Override
          public boolean mayBeRunning(String agentId, String taskId, Instant startedAt) {
            return registry.mayBeRunning(agentId, taskId, startedAt);
          }

          @Override
          public boolean settled(Instant now) {
            return !now.isBefore(settledAt);
          }
        };
  }

  /** Loads unfinished tasks from the store so dispatch resumes where it stopped. */
  public void resume() {
    for (Task t : store.unfinishedTasks()) {
      post(
          () -> {
            if (!active.containsKey(t.id()) && ownership.claim(t.id())) {
              active.put(t.id(), new ActiveTask(t, store.runs(t.id())));
            }
          });
    }
  }

  /**
   * Stores a new task with its runs and the audit entry of its submission (null: none), with this
   * master's lease on it where masters share the database, then drives it. Submissions made at the
   * same time by several threads are stored in one transaction (group commit), written by the first
   * of those threads; this returns once the task is stored.
   *
   * <p>When the planner would start the task at once (its first runs' agents are linked now), the
   * task is stored started, with those runs in flight, and their orders leave as soon as the
   * coordinator takes the task: a task's start costs no transaction of its own.
   *
   * @return the task as stored (started or still pending); null, storing nothing, when the task's
   *     schedule slot already has a task
   */
  public Task submit(Task task, List<Run> runs, AuditEntry audit) {
    Launch launch = launch(task, runs, clock.instant());
    ActiveTask at = launch.at();
    Submission s =
        new Submission(new NewTask(at.task(), at.runsInOrder(), audit), new CompletableFuture<>());
    inserts.add(s);
    boolean stored;
    try {
      stored = s.stored().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
    if (!stored) {
      return null;
    }
    post(
        () -> {
          ownership.adopt(at.task().id());
          active.put(at.task().id(), at);
          if (!launch.started().isEmpty()) {
            events.task(at.task());
            handOut(at, launch.started(), Collections.nCopies(launch.started().size(), true));
          }
        });
    return at.task();
  }

  /** A new task as it is to be stored, and the runs it starts with (empty: it waits). */
  private record Launch(ActiveTask at, List<Run> started) {}

  /**
   * Plans a new task once before it is stored: when the plan is its start with the starts of its
   * first runs and nothing else, those are taken into the task, to be stored with it. Any other
   * plan (an agent without a link, say) leaves the task pending for the coordinator's passes. The
   * planner is a pure function and the task is not shared yet, so any thread may do this.
   */
  private Launch launch(Task task, List<Run> runs, Instant now) {
    ActiveTask at = new ActiveTask(task, runs);
    Plan plan = planner.plan(at, liveness, now);
    if (!plan.onlyBegins()) {
      return new Launch(at, List.of()); // planning changed nothing in it
    }
    List<Action> actions = plan.actions();
    TaskStart start = startOf(task, actions.subList(1, actions.size()), now);
    at.task(start.begun());
    start.runs().forEach(at::put);
    at.advance(plan);
    return new Launch(at, start.runs());
  }

  /**
   * Stores a batch of submissions in one transaction; when that fails, one at a time, so that only
   * a submission that cannot be stored fails (a schedule slot taken is refused on its own).
   */
  private void insertAll(List<Submission> batch) {
    try {
      GroupCommit.writeOrSplit(
          batch,
          b -> {
            List<Boolean> stored = ownership.insert(b.stream().map(Submission::task).toList());
            for (int i = 0; i < b.size(); i++) {
              b.get(i).stored().complete(stored.get(i));
            }
          },
          (s, e) -> s.stored().completeExceptionally(e));
    } catch (Throwable t) { // no submitter waits for ever
      batch.forEach(s -> s.stored().completeExceptionally(t));
      throw t;
    }
  }

  /** A run ended (its result is already stored). */
  public void runFinished(Run run) {
    post(
        () -> {
          ActiveTask at = active.get(run.taskId());
          if (at != null) {
            at.put(run);
          }
        });
  }

  /** Kills a task: waiting runs are skipped, runs in flight are killed. */
  public CompletableFuture<Task> kill(String taskId, String by) {
    CompletableFuture<Task> done = new CompletableFuture<>();
    post(
        () -> {
          ActiveTask at = active.get(taskId);
          if (at == null && ownership.requestKill(taskId, by)) {
            // another master drives the task: it carries the kill out within a second or so
            done.complete(store.findTask(taskId).orElse(null));
            return;
          }
          if (at == null || at.task().state().isFinal()) {
            done.complete(null);
            return;
          }
          try {
            planner.kill(at, by).ifPresent(a -> apply(at, a, clock.instant()));
            reconcile(at, clock.instant());
          } catch (RuntimeException e) {
            done.completeExceptionally(e);
            throw e;
          }
          done.complete(at.task());
        });
    return done;
  }

  /** An agent opened its order link: hand it again what it should be running (or kill it). */
  public void linkUp(String agentId) {
    post(
        () -> {
          Instant now = clock.instant();
          for (ActiveTask at : active.values()) {
            planner.relink(at, agentId).ifPresent(a -> apply(at, a, now));
          }
        });
  }

  @Override
  public void onOnline(String agentId) {
    wake();
  }

  @Override
  public void onOffline(String agentId) {
    post(
        () -> {
          for (ActiveTask at : active.values()) {
            if (at.run(agentId) != null) {
              at.livenessChanged(true);
            }
          }
        });
  }

  private void post(Runnable r) {
    inbox.add(r);
    wake();
  }

  /** The tasks this coordinator drives now. */
  public int activeTasks() {
    return active.size();
  }

  @Override
  public void runOnce() {
    Runnable r;
    while ((r = inbox.poll()) != null) {
      try {
        r.run();
      } catch (LeaseLostException e) {
        drop(e.lease().taskId());
      }
    }
    Instant now = clock.instant();
    ownership.maintain(now).forEach(this::drop);
    adoptOrphans(now);
    applyKillRequests(now);
    recheckElsewhere(now);
    for (ActiveTask at : new ArrayList<>(active.values())) {
      try {
        Plan plan = plan(at, now);
        if (!passWrites.defer(at, plan, now)) {
          carryOut(at, plan, now);
        }
      } catch (LeaseLostException e) {
        drop(at.task().id());
        continue;
      } catch (RuntimeException e) {
        log.error("task {}: reconcile failed, will retry", at.task().id(), e);
      }
      if (at.task().state().isFinal()) {
        forget(at.task().id());
      }
    }
    writeStarts();
    writeEnds();
  }

  /** Writes the starts the pass kept together, then hands their runs out. */
  private void writeStarts() {
    for (var d : passWrites.writeStarts(this::writeFailed)) {
      afterWrite(
          d,
          () -> {
            taskStored(d.at, d.write.begun(), d.answer() != null);
            return handOut(d.at, d.write.runs(), d.answer());
          });
    }
  }

  /** Writes the ends the pass kept together. */
  private void writeEnds() {
    for (var d : passWrites.writeEnds(this::writeFailed)) {
      afterWrite(
          d,
          () -> {
            taskStored(d.at, d.write.updated(), d.answer());
            logEnd(d.write.updated());
            return true;
          });
    }
  }

  private static void logEnd(Task ended) {
    log.info(
        "task {} ended {}{}",
        ended.id(),
        ended.state(),
        ended.reason() == null ? "" : " (" + ended.reason() + ")");
  }

  /** A kept write failed: the task is planned again next pass, or dropped with its lease. */
  private void writeFailed(ActiveTask at, RuntimeException e) {
    if (e instanceof LeaseLostException) {
      drop(at.task().id());
    } else {
      log.error("task {}: reconcile failed, will retry", at.task().id(), e);
    }
  }

  /** Takes a kept plan's stored write into the task, as the end of a reconcile would. */
  private void afterWrite(PassWrites.Deferred<?, ?> d, BooleanSupplier apply) {
    try {
      if (apply.getAsBoolean()) {
        d.at.advance(d.plan);
      } else {
        wake(); // a result came in between: plan again
      }
    } catch (RuntimeException e) {
      log.error("task {}: reconcile failed, will retry", d.at.task().id(), e);
    }
    if (d.at.task().state().isFinal()) {
      forget(d.at.task().id());
    }
  }

  /**
   * Every {@link #RECHECK_ELSEWHERE}, reads back the runs of each task with a run in flight on an
   * agent of another master, and takes the ends stored there: a master that stored a result and
   * stopped before telling this one leaves no task waiting for ever.
   */
  private void recheckElsewhere(Instant now) {
    if (now.isBefore(nextRecheck)) {
      return;
    }
    nextRecheck = now.plus(RECHECK_ELSEWHERE);
    for (ActiveTask at : active.values()) {
      if (!inFlightElsewhere(at)) {
        continue;
      }
      try {
        for (Run stored : store.runs(at.task().id())) {
          Run mine = at.run(stored.agentId());
          if (stored.state().isFinal()
              && mine != null
              && mine.state() == RunState.RUNNING
              && mine.attempt() == stored.attempt()) {
            log.info(
                "task {}: the end of the run on {} was stored by another master without a notice",
                at.task().id(),
                stored.agentId());
            at.put(stored);
          }
        }
      } catch (RuntimeException e) {
        log.warn("task {}: cannot read its runs back: {}", at.task().id(), e.toString());
      }
    }
  }

  private boolean inFlightElsewhere(ActiveTask at) {
    for (int i = 0; i < at.size(); i++) {
      Run r = at.runAt(i);
      if (r.state() == RunState.RUNNING && gateway.heldElsewhere(r.agentId())) {
        return true;
      }
    }
    return false;
  }

  /** Carries out kills asked for through other masters on the tasks driven here. */
  private void applyKillRequests(Instant now) {
    ownership
        .killRequests(now)
        .forEach(
            (taskId, by) -> {
              ActiveTask at = active.get(taskId);
              if (at == null) {
                return;
              }
              try {
                planner
                    .kill(at, by == null || by.isEmpty() ? null : by)
                    .ifPresent(
                        a -> {
                          log.info("task {}: killed through another master", taskId);
                          apply(at, a, now);
                        });
              } catch (LeaseLostException e) {
                drop(taskId);
              }
            });
  }

  /** Another master took the task over: stop driving it (its writes would be refused). */
  private void drop(String taskId) {
    if (active.containsKey(taskId)) {
      log.warn("task {}: another master took it over; no longer driving it here", taskId);
    }
    forget(taskId);
  }

  private void forget(String taskId) {
    active.remove(taskId);
    adoptedUntil.remove(taskId);
    ownership.release(taskId);
  }

  /**
   * Takes over tasks whose master died. A master holding the order link of one of the task's agents
   * takes it at once; the others wait one liveness window more, so the task follows its agents.
   */
  private void adoptOrphans(Instant now) {
    List<String> orphans = ownership.orphans(now);
    if (orphans.isEmpty()) {
      return;
    }
    orphanSince.keySet().retainAll(orphans);
    for (String id : orphans) {
      if (active.containsKey(id)) {
        continue;
      }
      List<Run> runs = store.runs(id);
      boolean linkedHere =
          runs.stream()
              .anyMatch(
                  r ->
                      !r.state().isFinal()
                          && gateway.isLinked(r.agentId())
                          && !gateway.heldElsewhere(r.agentId()));
      Instant since = orphanSince.computeIfAbsent(id, k -> now);
      if (!linkedHere && now.isBefore(since.plus(registry.offlineAfter()))) {
        continue;
      }
      Optional<Task> task = store.findTask(id);
      if (task.isEmpty() || task.get().state().isFinal() || !ownership.claim(id)) {
        continue;
      }
      orphanSince.remove(id);
      // read again under the lease: what the previous master wrote last is in the store
      active.put(id, new ActiveTask(store.findTask(id).orElse(task.get()), store.runs(id)));
      adoptedUntil.put(id, now.plus(adoptionGrace));
      log.info("task {}: taken over from a master that stopped", id);
    }
  }

  private void reconcile(ActiveTask at, Instant now) {
    carryOut(at, plan(at, now), now);
  }

  private Plan plan(ActiveTask at, Instant now) {
    Instant adopted = adoptedUntil.get(at.task().id());
    return planner.plan(at, adopted == null ? liveness : afterAdoption(adopted), now);
  }

  /** Carries a plan's actions out in order, then takes its bookkeeping into the task. */
  private void carryOut(ActiveTask at, Plan plan, Instant now) {
    List<Action> actions = plan.actions();
    for (int i = 0; i < actions.size(); ) {
      // a task's start and the starts that follow it, or several starts, go in one transaction
      int first = actions.get(i) instanceof Action.Begin ? i + 1 : i;
      int starts = first < actions.size() ? Plan.startsFrom(actions, first) : 0;
      boolean applied;
      if (first > i && starts > 0) {
        applied = begin(at, actions.subList(first, first + starts), now);
        i = first + starts;
      } else if (starts > 1) {
        applied = startAll(at, actions.subList(i, i + starts), now);
        i += starts;
      } else {
        applied = apply(at, actions.get(i), now);
        i++;
      }
      if (!applied) {
        // a result came in between: the rest of the plan was decided on a stale state
        wake();
        return;
      }
    }
    at.advance(plan);
    if (plan.endsRuns() && !at.task().state().isFinal()) {
      wake(); // ended runs may cross a threshold or end the task: look again
    }
  }

  /**
   * Carries out a task's start and its first starts: all stored in one transaction, then the runs
   * handed out; false when the store had moved on for one of the runs (the plan must be redone).
   */
  private boolean begin(ActiveTask at, List<Action> starts, Instant now) {
    TaskStart start = startOf(at.task(), starts, now);
    List<Boolean> won = ownership.startTasks(List.of(start)).get(0);
    taskStored(at, start.begun(), won != null);
    return handOut(at, start.runs(), won);
  }

  /** A task's start with the {@link Action.Start}s that follow its {@link Action.Begin}. */
  static TaskStart startOf(Task task, List<Action> starts, Instant now) {
    List<Run> before = runsOf(starts);
    return new TaskStart(
        task.moveTo(TaskState.RUNNING, null, null),
        task.state(),
        started(before, now),
        before.get(0).state(),
        null);
  }

  /**
   * Carries out several starts: the runs are stored in one transaction, then handed out; false when
   * the store had moved on for one of them (the plan must be redone).
   */
  private boolean startAll(ActiveTask at, List<Action> starts, Instant now) {
    List<Run> before = runsOf(starts);
    List<Run> after = started(before, now);
    return handOut(at, after, ownership.updateRuns(after, before.get(0).state()));
  }

  private static List<Run> runsOf(List<Action> starts) {
    return starts.stream().map(a -> ((Action.Start) a).run()).toList();
  }

  private static List<Run> started(List<Run> runs, Instant now) {
    return runs.stream().map(r -> r.moveTo(RunState.RUNNING, null, now, null)).toList();
  }

  /** Hands out the runs whose start was stored; takes the stored state of the others. */
  private boolean handOut(ActiveTask at, List<Run> after, List<Boolean> won) {
    Task task = at.task();
    List<Run> handed = new ArrayList<>(after.size());
    for (int k = 0; k < after.size(); k++) {
      Run r = after.get(k);
      if (won.get(k)) {
        at.put(r);
        events.run(r);
        handed.add(r);
      } else {
        store.findRun(r.taskId(), r.agentId()).ifPresent(at::put);
      }
    }
    gateway.together(
        () -> {
          for (Run r : handed) {
            if (!gateway.start(task, r)) {
              log.warn(
                  "task {}: could not hand the run to {}; resent on reconnect",
                  task.id(),
                  r.agentId());
            }
          }
        });
    return handed.size() == after.size();
  }

  /** Carries out one action; false when the store had moved on (the plan must be redone). */
  private boolean apply(ActiveTask at, Action action, Instant now) {
    Task task = at.task();
    if (action instanceof Action.Begin) {
      saveTask(at, task.moveTo(TaskState.RUNNING, null, null));
    } else if (action instanceof Action.Start s) {
      if (!saveRun(at, s.run(), s.run().moveTo(RunState.RUNNING, null, now, null))) {
        return false;
      }
      if (!gateway.start(task, at.run(s.run().agentId()))) {
        log.warn(
            "task {}: could not hand the run to {}; resent on reconnect",
            task.id(),
            s.run().agentId());
      }
    } else if (action instanceof Action.Resend s) {
      gateway.start(task, s.run());
    } else if (action instanceof Action.Kill k) {
      at.markKillSent(k.run().agentId(), now);
      gateway.kill(task, k.run());
    } else if (action instanceof Action.Unreported u) {
      at.unreported(u.agentId(), u.since());
    } else if (action instanceof Action.AwaitLink w) {
      at.awaitLink(w.agentId(), w.since());
    } else if (action instanceof Action.Lose l) {
      Run r = l.run();
      if (!saveRun(at, r, r.moveTo(RunState.LOST, null, r.startedAt(), now).withError(l.why()))) {
        return false;
      }
      log.warn("task {}: run on {} is lost ({})", task.id(), r.hostname(), l.why());
    } else if (action instanceof Action.Retry r) {
      return retry(at, r);
    } else if (action instanceof Action.Skip s) {
      return saveRun(at, s.run(), s.run().moveTo(RunState.SKIPPED, null, null, now));
    } else if (action instanceof Action.Stop s) {
      saveTask(at, task.stopTowards(s.end(), s.reason()));
    } else if (action instanceof Action.Finish f) {
      saveTask(at, task.moveTo(f.end(), task.reason(), now));
      logEnd(at.task());
    } else {
      throw new IllegalArgumentException("unknown action " + action);
    }
    return true;
  }

  /** Stores the next attempt of a run; when a result came first, takes the stored run. */
  private boolean retry(ActiveTask at, Action.Retry r) {
    Run ended = r.run();
    Run next = ended.nextAttempt(r.at());
    if (!ownership.retryRun(ended, next)) {
      store.findRun(ended.taskId(), ended.agentId()).ifPresent(at::put);
      return false;
    }
    at.put(next);
    events.run(next);
    log.info(
        "task {}: attempt {} on {} ended {}; attempt {} at {}",
        at.task().id(),
        ended.attempt(),
        ended.hostname(),
        ended.state(),
        next.attempt(),
        r.at());
    return true;
  }

  /**
   * Liveness for a task just taken over: its agents are still moving to a live master, so none is
   * declared lost for being absent until {@code until}.
   */
  private Liveness afterAdoption(Instant until) {
    return new Liveness() {
      @Override
      public boolean online(String agentId) {
        return liveness.online(agentId);
      }

      @Override
      public boolean linked(String agentId) {
        return liveness.linked(agentId);
      }

      @Override
      public boolean mayBeRunning(String agentId, String taskId, Instant startedAt) {
        return liveness.mayBeRunning(agentId, taskId, startedAt);
      }

      @Override
      public boolean settled(Instant now) {
        return liveness.settled(now) && !now.isBefore(until);
      }
    };
  }

  private void saveTask(ActiveTask at, Task updated) {
    taskStored(at, updated, ownership.updateTask(updated, at.task().state()));
  }

  /** Takes a task change the store took; only the coordinator writes tasks, so it always does. */
  private void taskStored(ActiveTask at, Task updated, boolean stored) {
    if (!stored) {
      throw new IllegalStateException("task " + updated.id() + " changed behind the coordinator");
    }
    at.task(updated);
    events.task(updated);
  }

  /** Stores a run change; when another writer (a result) came first, takes the stored run. */
  private boolean saveRun(ActiveTask at, Run before, Run after) {
    if (ownership.updateRun(after, before.state())) {
      at.put(after);
      events.run(after);
      return true;
    }
    Optional<Run> stored = store.findRun(before.taskId(), before.agentId());
    stored.ifPresent(at::put);
    return false;
  }
}
