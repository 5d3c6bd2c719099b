package io.mschedule.master.dispatch;

import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The coordinator's working copy of an unfinished task, with what lets a pass cost what changed
 * rather than the size of the task: a count of runs per state, the set of runs in flight, and a
 * cursor over the runs in dispatch order before which none is waiting. Touched by the coordinator
 * thread only; read by the {@link Planner}.
 */
public final class ActiveTask {
  private Task task;
  private final Map<String, Run> runs = new HashMap<>();
  private final String[] order;
  private final int[] counts = new int[RunState.values().length];
  private final Set<String> running = new LinkedHashSet<>();
  private final Map<String, Instant> killSent = new HashMap<>();
  private final Map<String, Instant> unreported = new HashMap<>();
  private final Map<String, Instant> waitingForLink = new HashMap<>();
  private final Set<String> retryable = new LinkedHashSet<>();
  private final Set<String> delayed = new LinkedHashSet<>();
  private int cursor;
  private Instant nextSweep = Instant.MIN;
  private boolean livenessChanged;
  private boolean killsIssued;

  public ActiveTask(Task task, Collection<Run> runs) {
    this.task = task;
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingInt(Run::seq));
    this.order = new String[sorted.size()];
    for (int i = 0; i < order.length; i++) {
      Run r = sorted.get(i);
      order[i] = r.agentId();
      put(r);
    }
  }

  public Task task() {
    return task;
  }

  void task(Task t) {
    this.task = t;
  }

  /** Records a run's new version, keeping the counts and the set of runs in flight. */
  public void put(Run r) {
    Run old = runs.put(r.agentId(), r);
    if (old != null) {
      counts[old.state().ordinal()]--;
    }
    counts[r.state().ordinal()]++;
    if (r.state() == RunState.RUNNING) {
      running.add(r.agentId());
    } else {
      running.remove(r.agentId());
    }
    if (r.state() != RunState.WAITING) {
      waitingForLink.remove(r.agentId());
    }
    if (r.state().isFinal()) {
      unreported.remove(r.agentId());
    }
    if (retries(r)) {
      retryable.add(r.agentId());
    } else {
      retryable.remove(r.agentId());
    }
    if (r.state() == RunState.WAITING && r.retryAt() != null) {
      delayed.add(r.agentId());
    } else {
      delayed.remove(r.agentId());
    }
  }

  /**
   * Whether the run's attempt ended in a way the task retries ({@code failed}, {@code timed_out},
   * {@code lost}) with attempts left. Whether the task is stopping is not looked at.
   */
  public boolean retries(Run r) {
    return (r.state() == RunState.FAILED
            || r.state() == RunState.TIMED_OUT
            || r.state() == RunState.LOST)
        && task.retry().allowsAnother(r.attempt());
  }

  /** Agent ids of the ended runs that {@link #retries} retries, not yet retried. */
  public Collection<String> retryable() {
    return retryable;
  }

  /**
   * Agent ids of the retries waiting to start (WAITING with a {@link Run#retryAt}), oldest first.
   */
  public Collection<String> delayed() {
    return delayed;
  }

  public Run run(String agentId) {
    return runs.get(agentId);
  }

  /** The run at {@code index} in dispatch order. */
  public Run runAt(int index) {
    return runs.get(order[index]);
  }

  /** The runs in dispatch order. */
  public List<Run> runsInOrder() {
    List<Run> out = new ArrayList<>(order.length);
    for (String agentId : order) {
      out.add(runs.get(agentId));
    }
    return out;
  }

  public int size() {
    return order.length;
  }

  public int count(RunState state) {
    return counts[state.ordinal()];
  }

  /** Runs in a failure state (retryable ones included). */
  public int failures() {
    int n = 0;
    for (RunState s : RunState.values()) {
      if (s.isFailure()) {
        n += counts[s.ordinal()];
      }
    }
    return n;
  }

  /** Runs in a final state (retryable ones included). */
  public int finished() {
    return size() - count(RunState.WAITING) - count(RunState.RUNNING);
  }

  /** Agent ids of the runs in flight, in the order they started. */
  public Collection<String> running() {
    return running;
  }

  public boolean killSent(String agentId) {
    return killSent.containsKey(agentId);
  }

  /** When the run's kill was first sent, or null. */
  public Instant killSentAt(String agentId) {
    return killSent.get(agentId);
  }

  void markKillSent(String agentId, Instant at) {
    killSent.putIfAbsent(agentId, at);
  }

  /** Since when the run's agent no longer lists it among its running tasks, or null. */
  public Instant unreportedSince(String agentId) {
    return unreported.get(agentId);
  }

  void unreported(String agentId, Instant since) {
    if (since == null) {
      unreported.remove(agentId);
    } else {
      unreported.putIfAbsent(agentId, since);
    }
  }

  /** Since when a waiting run's agent has had no link, or null. */
  public Instant waitingForLinkSince(String agentId) {
    return waitingForLink.get(agentId);
  }

  void awaitLink(String agentId, Instant since) {
    waitingForLink.putIfAbsent(agentId, since);
  }

  public int cursor() {
    return cursor;
  }

  public Instant nextSweep() {
    return nextSweep;
  }

  /** An agent went offline since the last sweep: the next pass checks every run in flight. */
  public boolean livenessChanged() {
    return livenessChanged;
  }

  void livenessChanged(boolean changed) {
    this.livenessChanged = changed;
  }

  public boolean killsIssued() {
    return killsIssued;
  }

  /** Takes in what a plan decided about the bookkeeping (its actions are applied separately). */
  void advance(Plan plan) {
    cursor = plan.cursor();
    nextSweep = plan.nextSweep();
    killsIssued = plan.killsIssued();
    if (plan.swept()) {
      livenessChanged = false;
    }
  }
}
