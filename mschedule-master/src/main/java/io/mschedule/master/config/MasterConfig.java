package io.mschedule.master.config;

import io.mschedule.master.store.jdbc.Database;
import io.mschedule.master.task.BadRequestException;
import io.mschedule.master.task.Parallelism;
import io.mschedule.protocol.settings.HostPort;
import io.mschedule.protocol.settings.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Master settings, validated once at start-up and immutable afterwards. Every key and default is
 * listed in the README's settings table.
 */
public record MasterConfig(
    Path dataDir,
    String agentBind,
    String httpHost,
    int httpPort,
    int apiRateLimit,
    Path tlsCert,
    Path tlsKey,
    Duration heartbeat,
    int offlineAfterMissed,
    String dbUrl,
    String dbUser,
    String dbPassword,
    int dbPoolSize,
    int maxOutputBytes,
    int maxScriptBytes,
    int maxMessageBytes,
    int maxTargets,
    Duration resultGrace,
    String plainAgentBind,
    String defaultParallel,
    int maxPendingAgents,
    int maxStreamsPerToken,
    int maxStreams,
    int retentionDays,
    String metricsHost,
    int metricsPort,
    Duration masterDeadAfter,
    String advertiseAgent,
    String advertiseApi,
    Duration relayGrace) {

  public static final String DEFAULT_DATA_DIR = "./mschedule-data/master";
  public static final String DEFAULT_AGENT_BIND = "tcp://0.0.0.0:5555";
  public static final String DEFAULT_HTTP_BIND = "127.0.0.1:8080";
  public static final int DEFAULT_API_RATE_LIMIT = 50;
  public static final int DEFAULT_HEARTBEAT_SECONDS = 5;
  public static final int DEFAULT_OFFLINE_AFTER_MISSED = 3;
  public static final int DEFAULT_DB_POOL_SIZE = 8;
  public static final int DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
  public static final int DEFAULT_MAX_SCRIPT_BYTES = 1024 * 1024;
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
  public static final int DEFAULT_MAX_TARGETS = 20_000;
  public static final int DEFAULT_RETENTION_DAYS = 30;

  /** Runs in flight at once when a task does not say: 5, like Ansible's forks. */
  public static final String DEFAULT_DEFAULT_PARALLEL = "5";

  public static final int DEFAULT_RESULT_GRACE_SECONDS = 60;
  public static final int DEFAULT_RELAY_GRACE_SECONDS = 300;
  public static final int DEFAULT_MAX_PENDING_AGENTS = 1_000;
  public static final int DEFAULT_MAX_STREAMS_PER_TOKEN = 20;
  public static final int DEFAULT_MAX_STREAMS = 500;
  public static final int DEFAULT_MASTER_DEAD_AFTER_SECONDS = 30;

  /** The keys, as used in settings files, in {@code MSCHEDULE_*} variables and as flags. */
  public static final String DATA_DIR = "data-dir";

  public static final String AGENT_BIND = "agent-bind";
  public static final String HTTP_BIND = "http-bind";
  public static final String API_RATE_LIMIT = "api-rate-limit";
  public static final String TLS_CERT = "tls-cert";
  public static final String TLS_KEY = "tls-key";
  public static final String HEARTBEAT = "heartbeat";
  public static final String OFFLINE_AFTER_MISSED = "offline-after-missed";
  public static final String DB_URL = "db-url";
  public static final String DB_USER = "db-user";
  public static final String DB_PASSWORD = "db-password";
  public static final String DB_POOL_SIZE = "db-pool-size";
  public static final String MAX_OUTPUT_BYTES = "max-output-bytes";
  public static final String MAX_SCRIPT_BYTES = "max-script-bytes";
  public static final String MAX_MESSAGE_BYTES = "max-message-bytes";
  public static final String MAX_TARGETS = "max-targets";
  public static final String DEFAULT_PARALLEL = "default-parallel";
  public static final String RESULT_GRACE = "result-grace";
  public static final String RELAY_GRACE = "relay-grace";
  public static final String PLAIN_AGENT_BIND = "plain-agent-bind";
  public static final String MAX_PENDING_AGENTS = "max-pending-agents";
  public static final String MAX_STREAMS_PER_TOKEN = "max-streams-per-token";
  public static final String MAX_STREAMS = "max-streams";

  public static final String RETENTION_DAYS = "retention-days";
  public static final String METRICS_BIND = "metrics-bind";
  public static final String MASTER_DEAD_AFTER = "master-dead-after";
  public static final String ADVERTISE_AGENT = "advertise-agent";
  public static final String ADVERTISE_API = "advertise-api";

  /** Every key, in the order of the README's settings table. */
  public static final List<String> KEYS =
      List.of(
          DATA_DIR,
          AGENT_BIND,
          HTTP_BIND,
          API_RATE_LIMIT,
          TLS_CERT,
          TLS_KEY,
          HEARTBEAT,
          OFFLINE_AFTER_MISSED,
          DB_URL,
          DB_USER,
          DB_PASSWORD,
          DB_POOL_SIZE,
          MAX_OUTPUT_BYTES,
          MAX_SCRIPT_BYTES,
          MAX_MESSAGE_BYTES,
          MAX_TARGETS,
          DEFAULT_PARALLEL,
          MAX_PENDING_AGENTS,
          MAX_STREAMS_PER_TOKEN,
          MAX_STREAMS,
          RESULT_GRACE,
          RELAY_GRACE,
          PLAIN_AGENT_BIND,
          RETENTION_DAYS,
          METRICS_BIND,
          MASTER_DEAD_AFTER,
          ADVERTISE_AGENT,
          ADVERTISE_API);

  /** The time after which an agent that sent nothing is offline. */
  public Duration offlineAfter() {
    return heartbeat.multipliedBy(offlineAfterMissed);
  }

  /** Builds the configuration from values given directly, keyed by setting (as flags). */
  public static MasterConfig from(Map<String, String> settings) {
    return from(Settings.builder(KEYS).flags(settings).build());
  }

  /**
   * Builds and validates the configuration from merged settings (file, environment, flags).
   *
   * @throws io.mschedule.protocol.settings.SettingsException naming the first bad setting
   */
  public static MasterConfig from(Settings s) {
    Path dataDir = s.path(DATA_DIR, DEFAULT_DATA_DIR);
    String agentBind = s.endpoint(AGENT_BIND, DEFAULT_AGENT_BIND);
    HostPort http = s.hostPort(HTTP_BIND, DEFAULT_HTTP_BIND);
    String plainBind = s.endpoint(PLAIN_AGENT_BIND, null);
    Path tlsCert = s.readableFile(TLS_CERT);
    Path tlsKey = s.readableFile(TLS_KEY);
    if (tlsCert == null && tlsKey != null) {
      throw s.invalid(TLS_KEY, "needs " + TLS_CERT + " as well (the certificate for this key)");
    }
    if (tlsCert != null && tlsKey == null) {
      throw s.invalid(TLS_CERT, "needs " + TLS_KEY + " as well (the private key of it)");
    }
    HostPort metrics = s.hostPort(METRICS_BIND, null);
    String dbUrl = s.string(DB_URL, null);
    if (dbUrl == null) {
      if (dataDir.toString().contains(";")) {
        throw s.invalid(DATA_DIR, "expected a path without ';' (the embedded database needs one)");
      }
      dbUrl = Database.embeddedUrl(dataDir.resolve("db"));
    }
    return new MasterConfig(
        dataDir,
        agentBind,
        http.host(),
        http.port(),
        s.intIn(API_RATE_LIMIT, DEFAULT_API_RATE_LIMIT, 0, 1_000_000),
        tlsCert,
        tlsKey,
        s.seconds(HEARTBEAT, DEFAULT_HEARTBEAT_SECONDS, 1, 3600),
        s.intIn(OFFLINE_AFTER_MISSED, DEFAULT_OFFLINE_AFTER_MISSED, 1, 1000),
        dbUrl,
        s.string(DB_USER, "sa"),
        s.string(DB_PASSWORD, ""),
        s.intIn(DB_POOL_SIZE, DEFAULT_DB_POOL_SIZE, 1, 1000),
        s.intIn(MAX_OUTPUT_BYTES, DEFAULT_MAX_OUTPUT_BYTES, 1024, 256 * 1024 * 1024),
        s.intIn(MAX_SCRIPT_BYTES, DEFAULT_MAX_SCRIPT_BYTES, 16, 64 * 1024 * 1024),
        s.intIn(MAX_MESSAGE_BYTES, DEFAULT_MAX_MESSAGE_BYTES, 64 * 1024, 512 * 1024 * 1024),
        s.intIn(MAX_TARGETS, DEFAULT_MAX_TARGETS, 1, 1_000_000),
        s.seconds(RESULT_GRACE, DEFAULT_RESULT_GRACE_SECONDS, 1, 86_400),
        plainBind,
        s.custom(DEFAULT_PARALLEL, DEFAULT_DEFAULT_PARALLEL, MasterConfig::parallel),
        s.intIn(MAX_PENDING_AGENTS, DEFAULT_MAX_PENDING_AGENTS, 1, 1_000_000),
        s.intIn(MAX_STREAMS_PER_TOKEN, DEFAULT_MAX_STREAMS_PER_TOKEN, 1, 100_000),
        s.intIn(MAX_STREAMS, DEFAULT_MAX_STREAMS, 1, 100_000),
        s.intIn(RETENTION_DAYS, DEFAULT_RETENTION_DAYS, 0, 36_500),
        metrics == null ? null : metrics.host(),
        metrics == null ? -1 : metrics.port(),
        s.seconds(MASTER_DEAD_AFTER, DEFAULT_MASTER_DEAD_AFTER_SECONDS, 2, 3600),
        s.endpoint(ADVERTISE_AGENT, null),
        s.custom(ADVERTISE_API, null, MasterConfig::url),
        s.seconds(RELAY_GRACE, DEFAULT_RELAY_GRACE_SECONDS, 1, 86_400));
  }

  private static String url(String value) {
    String v = value.trim();
    if (!v.matches("https?://[^\\s/]+(:\\d{1,5})?(/\\S*)?")) {
      throw new IllegalArgumentException(
          "expected an http:// or https:// URL, e.g. https://m1:8080");
    }
    return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
  }

  private static String parallel(String value) {
    try {
      Parallelism.resolve(value, 1);
    } catch (BadRequestException e) {
      throw new IllegalArgumentException(
          "expected a whole number >= 0 (0 = all at once) or a percentage 1%-100%");
    }
    return value.trim();
  }

  /** Every setting but the database password (and the URL's parameters, which may hold one). */
  @Override
  public String toString() {
    int cut = dbUrl.length();
    for (char c : new char[] {'?', ';'}) {
      int at = dbUrl.indexOf(c);
      cut = at >= 0 ? Math.min(cut, at) : cut;
    }
    return "MasterConfig[dataDir="
        + dataDir
        + ", agentBind="
        + agentBind
        + ", http="
        + httpHost
        + ":"
        + httpPort
        + ", apiRateLimit="
        + apiRateLimit
        + ", tlsCert="
        + tlsCert
        + ", tlsKey="
        + tlsKey
        + ", heartbeat="
        + heartbeat
        + ", offlineAfterMissed="
        + offlineAfterMissed
        + ", dbUrl="
        + dbUrl.substring(0, cut)
        + (cut < dbUrl.length() ? "..." : "")
        + ", dbUser="
        + dbUser
        + ", dbPassword="
        + (dbPassword == null || dbPassword.isEmpty() ? "(none)" : "(set)")
        + ", dbPoolSize="
        + dbPoolSize
        + ", maxOutputBytes="
        + maxOutputBytes
        + ", maxScriptBytes="
        + maxScriptBytes
        + ", maxMessageBytes="
        + maxMessageBytes
        + ", maxTargets="
        + maxTargets
        + ", resultGrace="
        + resultGrace
        + ", maxPendingAgents="
        + maxPendingAgents
        + ", maxStreamsPerToken="
        + maxStreamsPerToken
        + ", maxStreams="
        + maxStreams
        + ", retentionDays="
        + retentionDays
        + ", metricsBind="
        + (metricsHost == null ? "(off)" : metricsHost + ":" + metricsPort)
        + ", masterDeadAfter="
        + masterDeadAfter
        + ", advertiseAgent="
        + advertiseAgent
        + ", advertiseApi="
        + advertiseApi
        + "]";
  }
}
