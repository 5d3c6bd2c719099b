package io.mschedule.cli;

import io.mschedule.cli.client.ApiException;
import io.mschedule.cli.client.Run;
import io.mschedule.cli.client.RunState;
import io.mschedule.cli.client.Task;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** Small text renderings shared by the commands. */
public final class Formats {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private Formats() {}

  /** Local date and time, "-" for none. */
  public static String time(Instant t, ZoneId zone) {
    return t == null ? "-" : TIME.format(t.atZone(zone));
  }

  /** How long ago, like "12s ago", "5m ago", "3h ago", "2d ago"; "-" for never. */
  static String age(Instant t, Instant now) {
    if (t == null) {
      return "-";
    }
    long s = Math.max(0, Duration.between(t, now).getSeconds());
    if (s < 60) {
      return s + "s ago";
    }
    if (s < 3600) {
      return s / 60 + "m ago";
    }
    if (s < 86400) {
      return s / 3600 + "h ago";
    }
    return s / 86400 + "d ago";
  }

  /** {@code k=v,k2=v2} sorted by key, "-" for none. */
  static String labels(Map<String, String> labels) {
    if (labels == null || labels.isEmpty()) {
      return "-";
    }
    StringJoiner j = new StringJoiner(",");
    new TreeMap<>(labels).forEach((k, v) -> j.add(k + "=" + v));
    return j.toString();
  }

  /** Comma-separated, "-" for none. */
  static String list(List<String> items) {
    return items == null || items.isEmpty() ? "-" : String.join(",", items);
  }

  /** A run state as printed: SUCCEEDED reads SUCCESS, like Ansible. */
  static String runState(RunState state) {
    return state == RunState.SUCCEEDED ? "SUCCESS" : String.valueOf(state);
  }

  /** A run state name from the API's counts as printed. */
  static String runState(String name) {
    return RunState.SUCCEEDED.name().equals(name) ? "SUCCESS" : name;
  }

  /**
   * Runs per state, like {@code SUCCESS=3 FAILED=1 SKIPPED=2}, in the order of the run states; from
   * the task's counts, else counted from its runs; "-" when there are no runs.
   */
  static String counts(Task task) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    if (!task.counts().isEmpty()) {
      for (RunState s : RunState.values()) {
        Integer n = task.counts().get(s.name());
        if (n != null) {
          counts.put(s.name(), n);
        }
      }
      task.counts().forEach(counts::putIfAbsent); // states this CLI does not know, last
    } else {
      Map<RunState, Integer> byState = new EnumMap<>(RunState.class);
      for (Run r : task.runs()) {
        byState.merge(r.state(), 1, Integer::sum);
      }
      byState.forEach((s, n) -> counts.put(s.name(), n));
    }
    StringJoiner j = new StringJoiner(" ");
    counts.forEach(
        (state, n) -> {
          if (n != null && n > 0) {
            j.add(runState(state) + "=" + n);
          }
        });
    return j.length() == 0 ? "-" : j.toString();
  }

  /** An API error as one line. */
  static String apiError(ApiException e) {
    StringBuilder sb = new StringBuilder();
    if (e.status() > 0) {
      sb.append("HTTP ").append(e.status()).append(": ");
    }
    sb.append(e.getMessage());
    if (e.field() != null && !e.field().isBlank()) {
      sb.append(" [field: ").append(e.field()).append(']');
    }
    return sb.toString();
  }
}
