package io.mschedule.master.dispatch;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one planner pass over a task.
 *
 * @param actions what to do, in order
 * @param cursor the index (in dispatch order) before which no run is waiting any more
 * @param swept whether this pass checked every running run for loss
 * @param nextSweep when the next such check is due
 * @param killsIssued whether every run in flight of a stopping task has been asked to stop
 */
public record Plan(
    List<Action> actions, int cursor, boolean swept, Instant nextSweep, boolean killsIssued) {

  public Plan {
    actions = List.copyOf(actions);
  }

  /** Whether the plan is only a task's start with the starts of its first runs. */
  public boolean onlyBegins() {
    return actions.size() > 1
        && actions.get(0) instanceof Action.Begin
        && startsFrom(actions, 1) == actions.size() - 1;
  }

  /** How many {@link Action.Start}s of runs in one state follow one another from {@code i}. */
  static int startsFrom(List<Action> actions, int i) {
    if (!(actions.get(i) instanceof Action.Start first)) {
      return 0;
    }
    int j = i + 1;
    while (j < actions.size()
        && actions.get(j) instanceof Action.Start s
        && s.run().state() == first.run().state()) {
      j++;
    }
    return j - i;
  }

  /** Whether the plan changes a run's state (so a following pass may decide more). */
  public boolean endsRuns() {
    for (Action a : actions) {
      if (a instanceof Action.Lose || a instanceof Action.Skip || a instanceof Action.Retry) {
        return true;
      }
    }
    return false;
  }
}
