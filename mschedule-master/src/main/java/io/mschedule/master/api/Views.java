package io.mschedule.master.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mschedule.master.agents.AgentView;
import io.mschedule.master.agents.TargetSelection;
import io.mschedule.master.live.LiveChunk;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunOutput;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * API shapes (docs/api.md); JSON names come out in snake_case. Runs carry the name of their agent,
 * looked up through {@code names} (agent id to name, null when unknown).
 */
public final class Views {
  private final Function<String, String> names;

  public Views(Function<String, String> names) {
    this.names = names;
  }

  public record AgentJson(
      String id,
      String name,
      String hostname,
      List<String> ip,
      Map<String, String> labels,
      String state,
      String lastSeen,
      String firstSeen,
      String version,
      List<String> running,
      String key,
      String master,
      String relay,
      String datacenter) {}

  /**
   * A run. {@code output} is the output as text (bytes that are not valid UTF-8 show as U+FFFD);
   * {@code output_b64} holds the exact bytes when they are not valid UTF-8; {@code stdout} and
   * {@code stderr} are the two streams apart. {@code output_offset} is where {@code output} starts
   * in the run's whole output (above 0 for the live tail of a long-running run); {@code
   * output_streams} the lengths in bytes of the alternating stdout and stderr runs of the output,
   * first stdout (left out when it is all stdout).
   */
  public record RunJson(
      String agentId,
      String name,
      String hostname,
      String state,
      Integer code,
      String output,
      boolean truncated,
      String startedAt,
      String finishedAt,
      String error,
      boolean late,
      int attempt,
      String retryAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) String outputB64,
      @JsonInclude(JsonInclude.Include.NON_NULL) String stdout,
      @JsonInclude(JsonInclude.Include.NON_NULL) String stderr,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long outputOffset,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> outputStreams,
      @JsonInclude(JsonInclude.Include.NON_NULL) String copy,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<AttemptJson> attempts) {

    /** This run with the outcome of its copy ({@code copied} or {@code unchanged}). */
    RunJson withCopy(String status) {
      return new RunJson(
          agentId,
          name,
          hostname,
          state,
          code,
          output,
          truncated,
          startedAt,
          finishedAt,
          error,
          late,
          attempt,
          retryAt,
          outputB64,
          stdout,
          stderr,
          outputOffset,
          outputStreams,
          status,
          attempts);
    }
  }

  /** One attempt of a run; the last one is the run itself. */
  public record AttemptJson(
      int attempt,
      String state,
      Integer code,
      String startedAt,
      String finishedAt,
      String error,
      boolean late) {}

  /** A file of a task, as the API shows it. */
  public record FileJson(
      String name,
      long size,
      String sha256,
      String dest,
      @JsonInclude(JsonInclude.Include.NON_NULL) String mode,
      @JsonInclude(JsonInclude.Include.NON_NULL) String owner) {}

  /**
   * A task. {@code script} (the script as text, only when it is valid UTF-8) and {@code script_b64}
   * (its exact bytes) are left out of task lists ({@link #summary}), which carry its size and
   * SHA-256 only.
   */
  public record TaskJson(
      String id,
      String state,
      String reason,
      @JsonInclude(JsonInclude.Include.NON_NULL) String script,
      @JsonInclude(JsonInclude.Include.NON_NULL) String scriptB64,
      int scriptBytes,
      String scriptSha256,
      List<String> targets,
      int parallel,
      Double failRate,
      Integer failCount,
      int timeout,
      String createdAt,
      String finishedAt,
      String createdBy,
      String stopping,
      Map<String, String> env,
      String job,
      Integer jobVersion,
      String schedule,
      String scheduledFor,
      String rerunOf,
      int retries,
      int retryDelay,
      Map<String, Integer> counts,
      List<RunJson> runs,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FileJson> files,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean copy) {}

  /**
   * A live output chunk: {@code data} as text, {@code data_b64} the exact bytes when they are not
   * valid UTF-8 (a chunk may end inside a character), {@code offset} where it starts in the run's
   * output, {@code stream} {@code stdout} or {@code stderr}.
   */
  public record OutputJson(
      String agentId,
      String data,
      long seq,
      long offset,
      String stream,
      @JsonInclude(JsonInclude.Include.NON_NULL) String dataB64) {}

  public static OutputJson output(String agentId, LiveChunk chunk) {
    return new OutputJson(
        agentId,
        text(chunk.data()),
        chunk.seq(),
        chunk.offset(),
        chunk.stream().wireName(),
        RunOutput.isUtf8(chunk.data()) ? null : base64(chunk.data()));
  }

  /** One agent a target selects. */
  public record TargetJson(String id, String name, String hostname, String state) {}

  /**
   * What targets select: the agents, how many pending-key agents matched too, and the error of each
   * target that selects nothing (a task submission would fail with the first one).
   */
  public record PreviewJson(List<TargetJson> agents, int pending, List<String> errors) {}

  public static PreviewJson preview(TargetSelection s) {
    return new PreviewJson(
        s.agents().stream()
            .map(a -> new TargetJson(a.id(), a.displayName(), a.hostname(), a.state()))
            .toList(),
        s.pending(),
        s.errors());
  }

  public static AgentJson agent(AgentView a) {
    return agent(a, null, false);
  }

  /**
   * An agent; {@code relay} is the id of the relay it is connected through (null: directly), its
   * {@code datacenter} the value of its {@code datacenter} label. A silent agent whose relay lost
   * the master ({@code unreachable}) is {@code unreachable} rather than offline.
   */
  public static AgentJson agent(AgentView a, String relay, boolean unreachable) {
    return new AgentJson(
        a.id(),
        a.displayName(),
        a.hostname(),
        a.ip(),
        a.labels(),
        unreachable && "offline".equals(a.state()) ? UNREACHABLE : a.state(),
        time(a.lastSeen()),
        time(a.firstSeen()),
        a.version(),
        List.copyOf(new TreeSet<>(a.running())),
        a.key(),
        a.master(),
        relay,
        a.labels().get(DATACENTER_LABEL));
  }

  /** The state of an agent cut off behind a relay that lost the master. */
  public static final String UNREACHABLE = "unreachable";

  /** The label a relay gives the agents behind it ({@code --datacenter}). */
  public static final String DATACENTER_LABEL = "datacenter";

  public RunJson run(Run r, byte[] output) {
    return run(r, output == null ? null : RunOutput.stdout(output), 0);
  }

  /** A run with its output (null: none given) starting at {@code offset} in the run's output. */
  public RunJson run(Run r, RunOutput output, long offset) {
    return run(r, output, offset, null);
  }

  /**
   * As above; with {@code earlier} (its earlier attempts, oldest first) it lists all its attempts,
   * this one last.
   */
  public RunJson run(Run r, RunOutput output, long offset, List<Run> earlier) {
    List<AttemptJson> attempts = null;
    if (earlier != null) {
      attempts = new ArrayList<>(earlier.size() + 1);
      for (Run a : earlier) {
        attempts.add(attempt(a));
      }
      attempts.add(attempt(r));
    }
    String name = names.apply(r.agentId());
    byte[] data = output == null ? null : output.data();
    return new RunJson(
        r.agentId(),
        name == null ? r.hostname() : name,
        r.hostname(),
        r.state().name(),
        r.code(),
        text(data),
        r.truncated(),
        time(r.startedAt()),
        time(r.finishedAt()),
        r.error(),
        r.late(),
        r.attempt(),
        time(r.retryAt()),
        data == null || RunOutput.isUtf8(data) ? null : base64(data),
        output == null ? null : text(output.stdout()),
        output == null ? null : text(output.stderr()),
        output == null ? null : offset,
        output == null || output.allStdout() ? null : output.streamRuns(),
        null,
        attempts);
  }

  private static AttemptJson attempt(Run a) {
    return new AttemptJson(
        a.attempt(),
        a.state().name(),
        a.code(),
        time(a.startedAt()),
        time(a.finishedAt()),
        a.error(),
        a.late());
  }

  /** A task with its runs; {@code outputs} may be null (runs then carry no output). */
  public TaskJson task(Task t, List<Run> runs, Map<String, RunOutput> outputs) {
    return task(t, runs, outputs, Map.of(), true, null);
  }

  /**
   * A task with its runs; {@code outputs} may be null (runs then carry no output); {@code offsets}
   * says where an output starts in its run's output when not at 0 (live tails).
   */
  public TaskJson task(
      Task t, List<Run> runs, Map<String, RunOutput> outputs, Map<String, Long> offsets) {
    return task(t, runs, outputs, offsets, true, null);
  }

  /** As above; without {@code withRuns} the runs list is empty (counts are still given). */
  public TaskJson task(Task t, List<Run> runs, Map<String, RunOutput> outputs, boolean withRuns) {
    return task(t, runs, outputs, Map.of(), withRuns, null);
  }

  /**
   * A task with its runs, each listing its {@code attempts} when {@code earlier} (the task's
   * earlier attempts, as {@code TaskStore#attempts} gives them) is not null.
   */
  public TaskJson task(Task t, List<Run> runs, Map<String, RunOutput> outputs, List<Run> earlier) {
    return task(t, runs, outputs, Map.of(), true, earlier);
  }

  private TaskJson task(
      Task t,
      List<Run> runs,
      Map<String, RunOutput> outputs,
      Map<String, Long> offsets,
      boolean withRuns,
      List<Run> earlier) {
    Map<String, List<Run>> byAgent = new LinkedHashMap<>();
    if (earlier != null) {
      for (Run a : earlier) {
        byAgent.computeIfAbsent(a.agentId(), k -> new ArrayList<>()).add(a);
      }
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (RunState s : RunState.values()) {
      int n = 0;
      for (Run r : runs) {
        if (r.state() == s) {
          n++;
        }
      }
      if (n > 0) {
        counts.put(s.name(), n);
      }
    }
    List<RunJson> rj = new ArrayList<>(withRuns ? runs.size() : 0);
    for (Run r : withRuns ? runs : List.<Run>of()) {
      RunOutput output = outputs == null ? null : outputs.getOrDefault(r.agentId(), RunOutput.NONE);
      RunJson json =
          run(
              r,
              output,
              offsets.getOrDefault(r.agentId(), 0L),
              earlier == null ? null : byAgent.getOrDefault(r.agentId(), List.of()));
      if (t.files().copy() && r.state() == RunState.SUCCEEDED) {
        json = json.withCopy(CopyOutcome.of(output == null ? null : output.data()));
      }
      rj.add(json);
    }
    return new TaskJson(
        t.id(),
        t.state().name(),
        t.reason(),
        t.script().isUtf8() ? t.script().text() : null,
        base64(t.script().bytes()),
        t.script().size(),
        t.scriptSha256(),
        t.targets(),
        t.parallel(),
        t.failRate(),
        t.failCount(),
        t.timeoutSeconds(),
        time(t.createdAt()),
        time(t.finishedAt()),
        t.createdBy(),
        t.stopping() == null ? null : t.stopping().name(),
        t.env(),
        t.origin().job(),
        t.origin().jobVersion(),
        t.origin().schedule(),
        time(t.origin().scheduledFor()),
        t.origin().rerunOf(),
        t.retry().retries(),
        t.retry().delaySeconds(),
        counts,
        rj,
        t.files().files().stream()
            .map(f -> new FileJson(f.name(), f.size(), f.sha256(), f.dest(), f.mode(), f.owner()))
            .toList(),
        t.files().copy());
  }

  /** The task as lists show it: without the script. */
  public static TaskJson summary(TaskJson t) {
    return new TaskJson(
        t.id(),
        t.state(),
        t.reason(),
        null,
        null,
        t.scriptBytes(),
        t.scriptSha256(),
        t.targets(),
        t.parallel(),
        t.failRate(),
        t.failCount(),
        t.timeout(),
        t.createdAt(),
        t.finishedAt(),
        t.createdBy(),
        t.stopping(),
        t.env(),
        t.job(),
        t.jobVersion(),
        t.schedule(),
        t.scheduledFor(),
        t.rerunOf(),
        t.retries(),
        t.retryDelay(),
        t.counts(),
        t.runs(),
        t.files(),
        t.copy());
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  public static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
