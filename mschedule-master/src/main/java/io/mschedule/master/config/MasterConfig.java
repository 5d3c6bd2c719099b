package io.mschedule.master.config;

import io.mschedule.master.store.jdbc.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

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
    int retentionDays,
    String metricsHost,
    int metricsPort) {

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
  public static final int DEFAULT_RESULT_GRACE_SECONDS = 60;
  public static final int DEFAULT_RETENTION_DAYS = 30;

  /** The keys understood by {@link #from(Map)}, as used in config files and {@code MSCHEDULE_*}. */
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
  public static final String RESULT_GRACE = "result-grace";
  public static final String PLAIN_AGENT_BIND = "plain-agent-bind";
  public static final String RETENTION_DAYS = "retention-days";
  public static final String METRICS_BIND = "metrics-bind";

  /** The time after which an agent that sent nothing is offline. */
  public Duration offlineAfter() {
    return heartbeat.multipliedBy(offlineAfterMissed);
  }

  /** Builds and validates the configuration from merged settings (file, environment, flags). */
  public static MasterConfig from(Map<String, String> settings) {
    Function<String, String> get = settings::get;
    Path dataDir = Path.of(Settings.string(get, DATA_DIR, DEFAULT_DATA_DIR)).toAbsolutePath();
    String agentBind = Settings.string(get, AGENT_BIND, DEFAULT_AGENT_BIND);
    if (!agentBind.matches("tcp://[^:/]+:\\d+")) {
      throw new ConfigException(AGENT_BIND + ": expected tcp://HOST:PORT, got '" + agentBind + "'");
    }
    Settings.HostPort http =
        Settings.hostPort(HTTP_BIND, Settings.string(get, HTTP_BIND, DEFAULT_HTTP_BIND));
    String plainBind = Settings.string(get, PLAIN_AGENT_BIND, null);
    if (plainBind != null && !plainBind.matches("tcp://[^:/]+:\\d+")) {
      throw new ConfigException(
          PLAIN_AGENT_BIND + ": expected tcp://HOST:PORT, got '" + plainBind + "'");
    }
    Path tlsCert = Settings.readableFile(get, TLS_CERT);
    Path tlsKey = Settings.readableFile(get, TLS_KEY);
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new ConfigException(
          (tlsCert == null ? TLS_CERT : TLS_KEY)
              + ": required with "
              + (tlsCert == null ? TLS_KEY : TLS_CERT));
    }
    String metricsBind = Settings.string(get, METRICS_BIND, null);
    Settings.HostPort metrics =
        metricsBind == null ? null : Settings.hostPort(METRICS_BIND, metricsBind);
    String dbUrl = Settings.string(get, DB_URL, null);
    if (dbUrl == null) {
      dbUrl = Database.embeddedUrl(dataDir.resolve("db"));
    }
    return new MasterConfig(
        dataDir,
        agentBind,
        http.host(),
        http.port(),
        Settings.intIn(get, API_RATE_LIMIT, DEFAULT_API_RATE_LIMIT, 0, 1_000_000),
        tlsCert,
        tlsKey,
        Duration.ofSeconds(Settings.intIn(get, HEARTBEAT, DEFAULT_HEARTBEAT_SECONDS, 1, 3600)),
        Settings.intIn(get, OFFLINE_AFTER_MISSED, DEFAULT_OFFLINE_AFTER_MISSED, 1, 1000),
        dbUrl,
        Settings.string(get, DB_USER, "sa"),
        Settings.string(get, DB_PASSWORD, ""),
        Settings.intIn(get, DB_POOL_SIZE, DEFAULT_DB_POOL_SIZE, 1, 1000),
        Settings.intIn(get, MAX_OUTPUT_BYTES, DEFAULT_MAX_OUTPUT_BYTES, 1024, 256 * 1024 * 1024),
        Settings.intIn(get, MAX_SCRIPT_BYTES, DEFAULT_MAX_SCRIPT_BYTES, 16, 64 * 1024 * 1024),
        Settings.intIn(
            get, MAX_MESSAGE_BYTES, DEFAULT_MAX_MESSAGE_BYTES, 64 * 1024, 512 * 1024 * 1024),
        Settings.intIn(get, MAX_TARGETS, DEFAULT_MAX_TARGETS, 1, 1_000_000),
        Duration.ofSeconds(
            Settings.intIn(get, RESULT_GRACE, DEFAULT_RESULT_GRACE_SECONDS, 1, 86_400)),
        plainBind,
        Settings.intIn(get, RETENTION_DAYS, DEFAULT_RETENTION_DAYS, 0, 36_500),
        metrics == null ? null : metrics.host(),
        metrics == null ? -1 : metrics.port());
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
        + ", retentionDays="
        + retentionDays
        + ", metricsBind="
        + (metricsHost == null ? "(off)" : metricsHost + ":" + metricsPort)
        + "]";
  }
}
