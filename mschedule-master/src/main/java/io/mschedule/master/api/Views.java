package io.mschedule.master.api;

import io.mschedule.master.agents.AgentView;
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

/** API shapes (docs/api.md); JSON names come out in snake_case. */
public final class Views {
  private Views() {}

  public record AgentJson(
      String id,
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
      String hostname,
      String state,
      Integer code,
      String output,
      boolean truncated,
      String startedAt,
      String finishedAt,
      String error) {}

  public record TaskJson(
      String id,
      String state,
      String reason,
      String script,
      List<String> targets,
      int parallel,
      Double failRate,
      Integer failCount,
      int timeout,
      String createdAt,
      String finishedAt,
      String createdBy,
      String stopping,
      String scriptSha256,
      Map<String, String> env,
      String job,
      Integer jobVersion,
      String schedule,
      String scheduledFor,
      String rerunOf,
      Map<String, Integer> counts,
      List<RunJson> runs) {}

  public record OutputJson(String agentId, String data) {}

  public static AgentJson agent(AgentView a) {
    return new AgentJson(
        a.id(),
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

  public static RunJson run(Run r, byte[] output) {
    return new RunJson(
        r.agentId(),
        r.hostname(),
        r.state().name(),
        r.code(),
        text(output),
        r.truncated(),
        time(r.startedAt()),
        time(r.finishedAt()),
        r.error());
  }

  /** A task with its runs; {@code outputs} may be null (runs then carry no output). */
  public static TaskJson task(Task t, List<Run> runs, Map<String, byte[]> outputs) {
    return task(t, runs, outputs, true);
  }

  /** As above; without {@code withRuns} the runs list is empty (counts are still given). */
  public static TaskJson task(
      Task t, List<Run> runs, Map<String, byte[]> outputs, boolean withRuns) {
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
      rj.add(run(r, outputs == null ? null : outputs.getOrDefault(r.agentId(), new byte[0])));
    }
    return new TaskJson(
        t.id(),
        t.state().name(),
        t.reason(),
        t.script(),
        t.targets(),
        t.parallel(),
        t.failRate(),
        t.failCount(),
        t.timeoutSeconds(),
        time(t.createdAt()),
        time(t.finishedAt()),
        t.createdBy(),
        t.stopping() == null ? null : t.stopping().name(),
        t.scriptSha256(),
        t.env(),
        t.origin().job(),
        t.origin().jobVersion(),
        t.origin().schedule(),
        time(t.origin().scheduledFor()),
        t.origin().rerunOf(),
        counts,
        rj);
  }

  public static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
