package io.mschedule.agent.runner;

import io.mschedule.agent.files.ChunkSource;
import io.mschedule.agent.files.FileReceiver;
import io.mschedule.agent.process.ProcessLauncher;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scripts: each run on a thread of its own (plus one thread reading its output), at most
 * {@link RunnerOptions#maxConcurrentRuns()} at once. Runs beyond that wait in a queue, without a
 * thread or a process, and start in the order they came as slots free; a queued run that is killed
 * (or still queued at shutdown) reports {@link RunStatus#KILLED} without ever starting.
 *
 * <p>Every started run reports exactly one {@link RunResult} to its {@link RunListener}: {@link
 * RunStatus#EXITED} with the exit code, {@link RunStatus#TIMED_OUT} or {@link RunStatus#KILLED}
 * after its whole process tree was stopped (SIGTERM, then SIGKILL after {@link
 * RunnerOptions#killGrace()}), or {@link RunStatus#FAILED_TO_START} with the reason.
 *
 * <p><b>Kill is not shutdown.</b> {@link #kill} stops one run and reports it {@code killed}. {@link
 * #shutdown} stops accepting runs, then kills the running ones and still reports each as {@code
 * killed} (error text "killed because the agent shut down"), waiting a bounded time for those
 * results. We kill rather than leave the scripts running because nothing could watch them or report
 * their results once the agent is gone (their output pipe breaks with it), and the master would
 * wait forever; a {@code killed} result handed to the listener (which spools it) reaches the master
 * after the agent restarts.
 *
 * <p>A script that exits normally may leave processes running in the background. Those that closed
 * their output ({@code nohup svc >/dev/null 2>&1 &}) are left alone; those still holding the output
 * {@link RunnerOptions#outputDrain()} after the script exited are stopped so the run can end, and
 * the result's error says so.
 */
public final class RunManager {

  private static final Logger log = LoggerFactory.getLogger(RunManager.class);

  /** Margin added to the stop timings for {@link #shutdown()} to wait for the results. */
  static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(5);

  private final ProcessLauncher launcher;
  private final RunnerOptions options;
  private final Clock clock;
  private final FileReceiver files;

  private final Object lock = new Object();
  private final Map<String, TaskRun> running = new LinkedHashMap<>(); // guarded by lock
  private final Map<String, TaskRun> queued = new LinkedHashMap<>(); // guarded by lock, in order
  private final Set<String> finished = new LinkedHashSet<>(); // guarded by lock, oldest first
  private boolean accepting = true; // guarded by lock

  public RunManager(ProcessLauncher launcher, RunnerOptions options, Clock clock) {
    this(launcher, options, clock, new FileReceiver(ChunkSource.NONE, Duration.ofSeconds(1)));
  }

  /**
   * @param files fetches the files of runs that have some
   */
  public RunManager(
      ProcessLauncher launcher, RunnerOptions options, Clock clock, FileReceiver files) {
    this.files = Objects.requireNonNull(files, "files");
    this.launcher = Objects.requireNonNull(launcher, "launcher");
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Starts a run, or queues it when {@link RunnerOptions#maxConcurrentRuns()} runs are running;
   * queued runs start in the order they came as running ones end.
   *
   * @return true when the run was started or queued (its result will come to {@code listener});
   *     false, with nothing reported, when this attempt of the task's run ({@link RunSpec#runKey})
   *     is running, queued or has finished recently, or when the manager is shut down
   */
  public boolean start(RunSpec spec, RunListener listener) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(listener, "listener");
    String key = spec.runKey();
    TaskRun run;
    synchronized (lock) {
      if (!accepting) {
        log.info("task {}: not started, the agent is shutting down", key);
        return false;
      }
      if (running.containsKey(key) || queued.containsKey(key) || finished.contains(key)) {
        log.info("task {}: ignored, it is running or has already run", key);
        return false;
      }
      run = new TaskRun(spec, listener, options, launcher, clock, files, this::finish);
      if (running.size() >= options.maxConcurrentRuns()) {
        queued.put(key, run);
        log.info(
            "task {}: queued, {} scripts are running (max-concurrent-runs); {} queued",
            key,
            running.size(),
            queued.size());
        return true;
      }
      running.put(key, run);
    }
    launch(run);
    return true;
  }

  private void launch(TaskRun run) {
    Thread thread = new Thread(run, "mschedule-run-" + run.key());
    try {
      thread.start();
    } catch (OutOfMemoryError e) { // "unable to create native thread"
      long now = clock.millis();
      finish(
          run,
          RunResult.failedToStart(
              run.taskId(), "cannot start a thread for the run: " + e, now, now));
    }
  }

  /**
   * Kills a run: its whole process tree gets SIGTERM, then SIGKILL after the kill grace, and it
   * reports {@link RunStatus#KILLED} (or {@link RunStatus#EXITED} if it ended by itself first).
   *
   * @return true when the task is running (asking again is harmless), false otherwise
   */
  public boolean kill(String taskId) {
    TaskRun run;
    synchronized (lock) {
      run = find(running, taskId);
      if (run == null) {
        run = find(queued, taskId);
        if (run != null) {
          queued.remove(run.key());
          running.put(run.key(), run); // until its result is handed over
          run.requestStop(TaskRun.StopReason.KILL);
        }
      }
    }
    if (run == null) {
      return false;
    }
    run.requestStop(TaskRun.StopReason.KILL);
    if (run.stopsBeforeStart()) {
      // A queued run ends KILLED without ever starting, on this thread.
      run.run();
    }
    return true;
  }

  /** The run (whatever its attempt) of a task among {@code runs}, or null. */
  private static TaskRun find(Map<String, TaskRun> runs, String taskId) {
    TaskRun run = runs.get(taskId);
    if (run != null) {
      return run;
    }
    for (TaskRun r : runs.values()) {
      if (r.taskId().equals(taskId)) {
        return r;
      }
    }
    return null;
  }

  /**
   * The task ids running or queued now (including runs whose result is being handed over): every
   * task this manager has accepted and not yet reported.
   */
  public Set<String> running() {
    synchronized (lock) {
      Set<String> ids = new LinkedHashSet<>();
      running.values().forEach(r -> ids.add(r.taskId()));
      queued.values().forEach(r -> ids.add(r.taskId()));
      return Set.copyOf(ids);
    }
  }

  /** The runs ({@link RunSpec#runKey}) waiting for a free slot, oldest first. */
  public List<String> queued() {
    synchronized (lock) {
      return List.copyOf(queued.keySet());
    }
  }

  /**
   * Stops accepting runs, kills the running ones and waits until they have reported (each as {@link
   * RunStatus#KILLED}) or until the kill grace plus the output drain plus a margin has passed. Safe
   * to call more than once.
   */
  public void shutdown() {
    List<TaskRun> runs;
    List<TaskRun> waiting;
    synchronized (lock) {
      accepting = false;
      runs = new ArrayList<>(running.values());
      waiting = new ArrayList<>(queued.values());
      queued.clear();
      waiting.forEach(
          run -> {
            running.put(run.key(), run);
            run.requestStop(TaskRun.StopReason.SHUTDOWN);
          });
    }
    if (!runs.isEmpty()) {
      log.info("shutting down: killing {} running script(s)", runs.size());
    }
    runs.forEach(run -> run.requestStop(TaskRun.StopReason.SHUTDOWN));
    if (!waiting.isEmpty()) {
      log.info("shutting down: {} queued run(s) end killed without starting", waiting.size());
    }
    waiting.forEach(TaskRun::run);
    Duration wait =
        options.killGrace().multipliedBy(2).plus(options.outputDrain()).plus(SHUTDOWN_MARGIN);
    try {
      if (!awaitIdle(wait)) {
        log.warn("shutting down: runs still not ended after {}: {}", wait, running());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until no run is running.
   *
   * @return true when none is, false when the timeout passed first
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!running.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }

  private void finish(TaskRun run, RunResult ended) {
    RunResult result = ended.withAttempt(run.attempt());
    log.info("task {}: {}", run.key(), result);
    // Hand the result over before the task leaves running(): at any time a task is either
    // listed as running or its result is with the listener.
    report(run.listener(), result);
    List<TaskRun> next = new ArrayList<>();
    synchronized (lock) {
      running.remove(run.key());
      remember(run.key());
      var waiting = queued.values().iterator();
      while (accepting && running.size() < options.maxConcurrentRuns() && waiting.hasNext()) {
        TaskRun queuedRun = waiting.next();
        waiting.remove();
        running.put(queuedRun.key(), queuedRun);
        next.add(queuedRun);
      }
      lock.notifyAll();
    }
    next.forEach(this::launch);
  }

  private static void report(RunListener listener, RunResult result) {
    try {
      listener.onResult(result);
    } catch (RuntimeException e) {
      log.error("task {}: the result listener failed, result lost: {}", result.taskId(), result, e);
    }
  }

  private void remember(String key) {
    if (options.finishedIdsRemembered() == 0) {
      return;
    }
    finished.remove(key);
    finished.add(key);
    while (finished.size() > options.finishedIdsRemembered()) {
      finished.remove(finished.iterator().next());
    }
  }
}
