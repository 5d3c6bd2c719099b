package io.mschedule.cli.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * One task on one agent.
 *
 * @param code exit code, null until the run ends (and for runs that never produced one)
 * @param output the run's output; null in task lists and live events, and while it runs
 * @param error why the run did not end with an exit code of its own (the agent's reason), or null
 * @param name the agent's name (its hostname unless it was given one), or null from older masters
 * @param attempt the run's current attempt (from 1; a retried run has more), or null from older
 *     masters
 * @param outputB64 the output's exact bytes in Base64 when they are not valid UTF-8, else null
 * @param stdout the run's stdout alone, or null
 * @param stderr the run's stderr alone, or null
 * @param outputOffset where {@code output} starts in the run's output (the live tail of a long run
 *     starts above 0), or null
 * @param outputStreams lengths in bytes of the alternating stdout and stderr runs of the output,
 *     first stdout; null when it is all stdout
 * @param copy for a successful run of a copy task: {@code copied} or {@code unchanged}; else null
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
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer attempt,
    @JsonInclude(JsonInclude.Include.NON_NULL) String outputB64,
    @JsonInclude(JsonInclude.Include.NON_NULL) String stdout,
    @JsonInclude(JsonInclude.Include.NON_NULL) String stderr,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long outputOffset,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> outputStreams,
    @JsonInclude(JsonInclude.Include.NON_NULL) String copy) {

  /** A run as older masters report it, without attempts or streams. */
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
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** The output's exact bytes, or null when the run carries no output. */
  public byte[] outputBytes() {
    if (outputB64 != null) {
      return Base64.getDecoder().decode(outputB64);
    }
    return output == null ? null : output.getBytes(StandardCharsets.UTF_8);
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

  /** This run with another output (as text, without streams). */
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
        attempt,
        null,
        null,
        null,
        null,
        null,
        copy);
  }
}
