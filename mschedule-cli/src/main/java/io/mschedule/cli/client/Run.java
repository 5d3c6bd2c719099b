package io.mschedule.cli.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One task on one agent.
 *
 * @param code exit code, null until the run ends (and for runs that never produced one)
 * @param output the run's output; null in task lists and live events, and while it runs
 * @param error why the run did not end with an exit code of its own (the agent's reason), or null
 * @param name the agent's name (its hostname unless it was given one), or null from older masters
 * @param attempt the run's current attempt (from 1; a retried run has more), or null from older
 *     masters
 */
public record Run(
    String agentId,
    String hostname,
    RunState state,
    Integer code,
    String output,
    boolean truncated,
    Instant startedAt,
    Instant finishedAt,
    String error,
    String name,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer attempt) {

  /** A run as older masters describe it, without attempts. */
  public Run(
      String agentId,
      String hostname,
      RunState state,
      Integer code,
      String output,
      boolean truncated,
      Instant startedAt,
      Instant finishedAt,
      String error,
      String name) {
    this(
        agentId,
        hostname,
        state,
        code,
        output,
        truncated,
        startedAt,
        finishedAt,
        error,
        name,
        null);
  }

  /** A run without a name of its own. */
  public Run(
      String agentId,
      String hostname,
      RunState state,
      Integer code,
      String output,
      boolean truncated,
      Instant startedAt,
      Instant finishedAt,
      String error) {
    this(agentId, hostname, state, code, output, truncated, startedAt, finishedAt, error, null);
  }

  /** A run without an error. */
  public Run(
      String agentId,
      String hostname,
      RunState state,
      Integer code,
      String output,
      boolean truncated,
      Instant startedAt,
      Instant finishedAt) {
    this(agentId, hostname, state, code, output, truncated, startedAt, finishedAt, null);
  }

  public Run {
    state = state == null ? RunState.UNKNOWN : state;
  }

  /** This run with another output. */
  public Run withOutput(String newOutput) {
    return new Run(
        agentId,
        hostname,
        state,
        code,
        newOutput,
        truncated,
        startedAt,
        finishedAt,
        error,
        name,
        attempt);
  }
}
