package io.mschedule.master.rpc;

import io.mschedule.master.dispatch.RunOutcome;
import io.mschedule.master.task.RunState;
import io.mschedule.protocol.message.OutputLimit;
import io.mschedule.protocol.message.Result;

/** Turns an agent's {@code result} message into the run outcome dispatch records. */
final class Outcomes {
  /** Longest agent-supplied error kept on a run. */
  static final int MAX_ERROR_CHARS = 2000;

  private Outcomes() {}

  static RunOutcome of(Result r, int maxOutputBytes) {
    OutputLimit.Limited limited = OutputLimit.apply(r.output(), r.streams(), maxOutputBytes);
    byte[] output = limited.output();
    boolean truncated = r.truncated() || output.length != r.output().length;
    RunState state = stateOf(r);
    boolean hasCode = state != RunState.FAILED_TO_START && state != RunState.LOST;
    Integer code = hasCode && r.code() >= 0 ? r.code() : null;
    return new RunOutcome(
        r.id(),
        r.agentId(),
        state,
        code,
        output,
        truncated,
        error(r.error()),
        limited.streams().runList(),
        r.attempt());
  }

  static RunState stateOf(Result r) {
    return switch (r.status()) {
      case Result.EXITED -> r.code() == 0 ? RunState.SUCCEEDED : RunState.FAILED;
      case Result.TIMED_OUT -> RunState.TIMED_OUT;
      case Result.KILLED -> RunState.KILLED;
      case Result.FAILED_TO_START -> RunState.FAILED_TO_START;
      case Result.LOST -> RunState.LOST;
      default ->
          throw new IllegalArgumentException(
              "result.payload.status: unknown status '"
                  + r.status()
                  + "'; expected exited, timed_out, killed, failed_to_start or lost");
    };
  }

  private static String error(String e) {
    if (e == null || e.isBlank()) {
      return null;
    }
    return e.length() <= MAX_ERROR_CHARS ? e : e.substring(0, MAX_ERROR_CHARS) + "…";
  }
}
