package io.mschedule.agent;

import io.mschedule.protocol.keys.KeyFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Agent settings, validated once at start-up and immutable afterwards. */
public record AgentConfig(
    Path dataDir,
    String master,
    Map<String, String> labels,
    Duration heartbeat,
    Duration factsRefresh,
    Duration callTimeout,
    int maxOutputBytes,
    Duration killGrace,
    byte[] masterKey,
    String joinToken,
    int maxConcurrentRuns,
    String metricsHost,
    int metricsPort) {

  public static final String DEFAULT_DATA_DIR = "./mschedule-data/agent";
  public static final String DEFAULT_MASTER = "tcp://127.0.0.1:5555";
  public static final int DEFAULT_HEARTBEAT_SECONDS = 5;
  public static final int DEFAULT_FACTS_REFRESH_SECONDS = 60;
  public static final int DEFAULT_CALL_TIMEOUT_SECONDS = 10;
  public static final int DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
  public static final int DEFAULT_KILL_GRACE_SECONDS = 2;
  public static final int DEFAULT_MAX_CONCURRENT_RUNS = 64;

  public static final String DATA_DIR = "data-dir";
  public static final String MASTER = "master";
  public static final String LABELS = "labels";
  public static final String HEARTBEAT = "heartbeat";
  public static final String FACTS_REFRESH = "facts-refresh";
  public static final String CALL_TIMEOUT = "call-timeout";
  public static final String MAX_OUTPUT_BYTES = "max-output-bytes";
  public static final String KILL_GRACE = "kill-grace";
  public static final String MASTER_KEY = "master-key";
  public static final String JOIN_TOKEN = "join-token";
  public static final String MAX_CONCURRENT_RUNS = "max-concurrent-runs";
  public static final String METRICS_BIND = "metrics-bind";

  public AgentConfig {
    labels = Map.copyOf(labels);
    masterKey = masterKey.clone();
  }

  @Override
  public byte[] masterKey() {
    return masterKey.clone();
  }

  @Override
  public String toString() {
    return "AgentConfig[dataDir="
        + dataDir
        + ", master="
        + master
        + ", labels="
        + labels
        + ", heartbeat="
        + heartbeat
        + ", joinToken="
        + (joinToken == null ? "none" : "<hidden>")
        + "]";
  }

  /**
   * Builds and validates the configuration from merged settings. {@code labels} is a
   * comma-separated list of {@code k=v}.
   */
  public static AgentConfig from(Map<String, String> s) {
    String master = str(s, MASTER, DEFAULT_MASTER);
    if (!master.matches("tcp://[^:/]+:\\d+")) {
      throw new IllegalArgumentException(
          MASTER + ": expected tcp://HOST:PORT, got '" + master + "'");
    }
    String key = str(s, MASTER_KEY, null);
    if (key == null) {
      throw new IllegalArgumentException(
          MASTER_KEY
              + ": required: the master's public key, printed by 'mschedule master key' on the"
              + " master (agents refuse a master with any other key)");
    }
    String metricsBind = str(s, METRICS_BIND, null);
    int metricsColon = metricsBind == null ? -1 : metricsBind.lastIndexOf(':');
    if (metricsBind != null && !metricsBind.matches("[^:/\\s]+:\\d{1,5}")) {
      throw new IllegalArgumentException(
          METRICS_BIND + ": expected HOST:PORT, got '" + metricsBind + "'");
    }
    return new AgentConfig(
        Path.of(str(s, DATA_DIR, DEFAULT_DATA_DIR)).toAbsolutePath(),
        master,
        parseLabels(str(s, LABELS, "")),
        Duration.ofSeconds(intIn(s, HEARTBEAT, DEFAULT_HEARTBEAT_SECONDS, 1, 3600)),
        Duration.ofSeconds(intIn(s, FACTS_REFRESH, DEFAULT_FACTS_REFRESH_SECONDS, 1, 86_400)),
        Duration.ofSeconds(intIn(s, CALL_TIMEOUT, DEFAULT_CALL_TIMEOUT_SECONDS, 1, 3600)),
        intIn(s, MAX_OUTPUT_BYTES, DEFAULT_MAX_OUTPUT_BYTES, 1024, 256 * 1024 * 1024),
        Duration.ofSeconds(intIn(s, KILL_GRACE, DEFAULT_KILL_GRACE_SECONDS, 0, 600)),
        KeyFiles.parseKey(key, MASTER_KEY),
        str(s, JOIN_TOKEN, null),
        intIn(s, MAX_CONCURRENT_RUNS, DEFAULT_MAX_CONCURRENT_RUNS, 1, 4096),
        metricsBind == null ? null : metricsBind.substring(0, metricsColon),
        metricsBind == null ? -1 : metricsPort(metricsBind.substring(metricsColon + 1)));
  }

  private static int metricsPort(String port) {
    int n = Integer.parseInt(port);
    if (n > 65535) {
      throw new IllegalArgumentException(METRICS_BIND + ": port must be 0-65535, got " + n);
    }
    return n;
  }

  /** Parses {@code k=v,k2=v2}; a malformed label names itself in the error. */
  public static Map<String, String> parseLabels(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : List.of(text.split(","))) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0 || eq == p.length() - 1) {
        throw new IllegalArgumentException(LABELS + ": expected KEY=VALUE, got '" + p + "'");
      }
      out.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
    }
    return out;
  }

  private static String str(Map<String, String> s, String key, String def) {
    String v = s.get(key);
    return v == null || v.isBlank() ? def : v.trim();
  }

  private static int intIn(Map<String, String> s, String key, int def, int min, int max) {
    String v = s.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": expected a whole number, got '" + v + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          key + ": must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }
}
