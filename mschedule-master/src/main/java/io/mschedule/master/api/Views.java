package io.mschedule.master.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mschedule.master.agents.AgentView;
import io.mschedule.master.agents.TargetSelection;
import io.mschedule.master.task.Run;
import io.mschedule.master.task.RunState;
import io.mschedule.master.task.Task;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
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
      String key) {}

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
      @JsonInclude(JsonInclude.Include.NON_NULL) List<AttemptJson> attempts) {}

  /** One attempt of a run; the last one is the run itself. */
  public record AttemptJson(
      int attempt,
      String state,
      Integer code,
      String startedAt,
      String finishedAt,
      String error,
      boolean late) {}

  /**
   * A task. {@code script} is left out of task lists ({@link #summary}), which carry its size and
   * SHA-256 only.
   */
  public record TaskJson(
      String id,
      String state,
      String reason,
      @JsonInclude(JsonInclude.Include.NON_NULL) String script,
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
      List<RunJson> runs) {}

  public record OutputJson(String agentId, String data) {}

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
    return new AgentJson(
        a.id(),
        a.displayName(),
        a.hostname(),
        a.ip(),
        a.labels(),
        a.state(),
        time(a.lastSeen()),
        time(a.firstSeen()),
        a.version(),
        List.copyOf(new TreeSet<>(a.running())),
        a.key());
  }

  public RunJson run(Run r, byte[] output) {
    return run(r, output, null);
  }

  /**
   * A run; with {@code earlier} (its earlier attempts, oldest first) it lists all its attempts,
   * this one last.
   */
  public RunJson run(Run r, byte[] output, List<Run> earlier) {
    List<AttemptJson> attempts = null;
    if (earlier != null) {
      attempts = new ArrayList<>(earlier.size() + 1);
      for (Run a : earlier) {
        attempts.add(attempt(a));
      }
      attempts.add(attempt(r));
    }
    String name = names.apply(r.agentId());
    return new RunJson(
        r.agentId(),
        name == null ? r.hostname() : name,
        r.hostname(),
        r.state().name(),
        r.code(),
        text(output),
        r.truncated(),
        time(r.startedAt()),
        time(r.finishedAt()),
        r.error(),
        r.late(),
        r.attempt(),
        time(r.retryAt()),
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
  public TaskJson task(Task t, List<Run> runs, Map<String, byte[]> outputs) {
    return task(t, runs, outputs, true);
  }

  /** As above; without {@code withRuns} the runs list is empty (counts are still given). */
  public TaskJson task(Task t, List<Run> runs, Map<String, byte[]> outputs, boolean withRuns) {
    return task(t, runs, outputs, withRuns, null);
  }

  /**
   * A task with its runs, each listing its {@code attempts} when {@code earlier} (the task's
   * earlier attempts, as {@code TaskStore#attempts} gives them) is not null.
   */
  public TaskJson task(Task t, List<Run> runs, Map<String, byte[]> outputs, List<Run> earlier) {
    return task(t, runs, outputs, true, earlier);
  }

  private TaskJson task(
      Task t, List<Run> runs, Map<String, byte[]> outputs, boolean withRuns, List<Run> earlier) {
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
      rj.add(
          run(
              r,
              outputs == null ? null : outputs.getOrDefault(r.agentId(), new byte[0]),
              earlier == null ? null : byAgent.getOrDefault(r.agentId(), List.of())));
    }
    return new TaskJson(
        t.id(),
        t.state().name(),
        t.reason(),
        t.script(),
        t.script().getBytes(StandardCharsets.UTF_8).length,
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
        rj);
  }

  /** The task as lists show it: without the script. */
  public static TaskJson summary(TaskJson t) {
    return new TaskJson(
        t.id(),
        t.state(),
        t.reason(),
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
        t.runs());
  }

  public static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
