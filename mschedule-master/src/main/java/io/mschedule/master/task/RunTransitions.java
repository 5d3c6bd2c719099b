package io.mschedule.master.task;

import static io.mschedule.master.task.RunState.*;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The whole run state machine in one table. */
public final class RunTransitions {
  private static final Map<RunState, Set<RunState>> ALLOWED = new EnumMap<>(RunState.class);

  static {
    ALLOWED.put(WAITING, EnumSet.of(RUNNING, SKIPPED, LOST));
    // WAITING -> LOST: the agent vanished before the run could be handed to it.
    ALLOWED.put(RUNNING, EnumSet.of(SUCCEEDED, FAILED, FAILED_TO_START, TIMED_OUT, KILLED, LOST));
    ALLOWED.put(LOST, EnumSet.noneOf(RunState.class));
    ALLOWED.put(SUCCEEDED, EnumSet.noneOf(RunState.class));
    ALLOWED.put(FAILED, EnumSet.noneOf(RunState.class));
    ALLOWED.put(FAILED_TO_START, EnumSet.noneOf(RunState.class));
    ALLOWED.put(TIMED_OUT, EnumSet.noneOf(RunState.class));
    ALLOWED.put(KILLED, EnumSet.noneOf(RunState.class));
    ALLOWED.put(SKIPPED, EnumSet.noneOf(RunState.class));
  }

  private RunTransitions() {}

  public static boolean allowed(RunState from, RunState to) {
    return ALLOWED.get(from).contains(to);
  }

  public static RunState check(RunState from, RunState to) {
    if (!allowed(from, to)) {
      throw new IllegalTransitionException("run", from, to);
    }
    return to;
  }
}
