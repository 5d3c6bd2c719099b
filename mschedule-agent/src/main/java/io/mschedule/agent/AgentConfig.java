package io.mschedule.agent;

import io.mschedule.protocol.keys.KeyFiles;
import io.mschedule.protocol.settings.HostPort;
import io.mschedule.protocol.settings.Settings;
import io.mschedule.protocol.signing.OrderKeys;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
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
    String name,
    String metricsHost,
    int metricsPort,
    List<MasterEndpoint> masters,
    PublicKey orderKey) {

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
  public static final String NAME = "name";
  public static final String ORDER_KEY = "order-key";

  /** Agent names: usable as a target term (no ':', '=', '&', '!', '*' or spaces). */
  static final java.util.regex.Pattern NAME_PATTERN =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  /** Every key, in the order of the README's settings table. */
  public static final List<String> KEYS =
      List.of(
          DATA_DIR,
          MASTER,
          LABELS,
          HEARTBEAT,
          FACTS_REFRESH,
          CALL_TIMEOUT,
          MAX_OUTPUT_BYTES,
          KILL_GRACE,
          MAX_CONCURRENT_RUNS,
          MASTER_KEY,
          ORDER_KEY,
          JOIN_TOKEN,
          NAME,
          METRICS_BIND);

  public AgentConfig {
    labels = Map.copyOf(labels);
    masterKey = masterKey.clone();
    masters = List.copyOf(masters);
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
        + ", name="
        + name
        + ", labels="
        + labels
        + ", heartbeat="
        + heartbeat
        + ", joinToken="
        + (joinToken == null ? "none" : "<hidden>")
        + "]";
  }

  /** Builds the configuration from values given directly, keyed by setting (as flags). */
  public static AgentConfig from(Map<String, String> settings) {
    return from(Settings.builder(KEYS).flags(settings).build());
  }

  /**
   * Builds and validates the configuration from merged settings (file, environment, flags).
   *
   * @throws io.mschedule.protocol.settings.SettingsException naming the first bad setting
   */
  public static AgentConfig from(Settings s) {
    List<String> endpoints = s.endpoints(MASTER, List.of(DEFAULT_MASTER));
    s.required(
        MASTER_KEY,
        "the master's public key, printed by 'mschedule master key' on the master (agents refuse"
            + " a master with any other key)");
    List<byte[]> keys = s.custom(MASTER_KEY, null, AgentConfig::keys);
    if (keys.size() != 1 && keys.size() != endpoints.size()) {
      throw s.invalid(
          MASTER_KEY,
          keys.size()
              + " keys for "
              + endpoints.size()
              + " master endpoints: give one key for all, or one per endpoint in the order of"
              + " --master");
    }
    List<MasterEndpoint> masters = new java.util.ArrayList<>();
    for (int i = 0; i < endpoints.size(); i++) {
      masters.add(new MasterEndpoint(endpoints.get(i), keys.get(keys.size() == 1 ? 0 : i)));
    }
    HostPort metrics = s.hostPort(METRICS_BIND, null);
    return new AgentConfig(
        s.path(DATA_DIR, DEFAULT_DATA_DIR),
        String.join(",", endpoints),
        s.labels(LABELS),
        s.seconds(HEARTBEAT, DEFAULT_HEARTBEAT_SECONDS, 1, 3600),
        s.seconds(FACTS_REFRESH, DEFAULT_FACTS_REFRESH_SECONDS, 1, 86_400),
        s.seconds(CALL_TIMEOUT, DEFAULT_CALL_TIMEOUT_SECONDS, 1, 3600),
        s.intIn(MAX_OUTPUT_BYTES, DEFAULT_MAX_OUTPUT_BYTES, 1024, 256 * 1024 * 1024),
        s.seconds(KILL_GRACE, DEFAULT_KILL_GRACE_SECONDS, 0, 600),
        keys.get(0),
        s.string(JOIN_TOKEN, null),
        s.intIn(MAX_CONCURRENT_RUNS, DEFAULT_MAX_CONCURRENT_RUNS, 1, 4096),
        s.custom(NAME, null, AgentConfig::name),
        metrics == null ? null : metrics.host(),
        metrics == null ? -1 : metrics.port(),
        masters,
        s.custom(ORDER_KEY, null, OrderKeys::parse));
  }

  /** One key, or several separated by commas (one per master endpoint); each a key or a file. */
  private static List<byte[]> keys(String text) {
    List<byte[]> out = new java.util.ArrayList<>();
    for (String part : text.split(",", -1)) {
      out.add(KeyFiles.parseKey(part));
    }
    return out;
  }

  /** The agent's name, or null for its hostname. */
  private static String name(String name) {
    if (!NAME_PATTERN.matcher(name).matches() || name.equals("all")) {
      throw new IllegalArgumentException(
          "expected up to 100 letters, digits, '.', '_' or '-' (not 'all': the name is used in"
              + " targets)");
    }
    return name;
  }
}
