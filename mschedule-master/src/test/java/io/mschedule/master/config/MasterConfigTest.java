package io.mschedule.master.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.master.store.jdbc.Database;
import io.mschedule.protocol.settings.Settings;
import io.mschedule.protocol.settings.SettingsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every master setting from every source: flag > environment > file > default. */
class MasterConfigTest {
  @TempDir static Path dir;

  /**
   * Three valid values of a key (for the file, the environment and a flag), how to read it from the
   * configuration, its default, a bad value (null: any text is valid) and settings it needs.
   */
  record Sample(
      String file,
      String env,
      String flag,
      Function<MasterConfig, Object> get,
      Function<String, Object> parse,
      Object defaultValue,
      String bad,
      Map<String, String> needs) {
    Sample(String a, String b, String c, Function<MasterConfig, Object> get, Object dflt) {
      this(a, b, c, get, t -> t, dflt, null, Map.of());
    }

    Sample bad(String value) {
      return new Sample(file, env, flag, get, parse, defaultValue, value, needs);
    }

    Sample parse(Function<String, Object> p) {
      return new Sample(file, env, flag, get, p, defaultValue, bad, needs);
    }

    Sample needs(String key, String value) {
      return new Sample(file, env, flag, get, parse, defaultValue, bad, Map.of(key, value));
    }
  }

  private static Map<String, Sample> samples;

  @BeforeAll
  static void samples() {
    String cert = readable("cert.pem");
    String key = readable("key.pem");
    Function<String, Object> seconds = t -> Duration.ofSeconds(Long.parseLong(t));
    Function<String, Object> number = Integer::valueOf;
    Function<String, Object> path = t -> Path.of(t).toAbsolutePath();
    samples =
        Map.ofEntries(
            Map.entry(
                MasterConfig.DATA_DIR,
                new Sample(
                        dir.resolve("a").toString(),
                        dir.resolve("b").toString(),
                        dir.resolve("c").toString(),
                        MasterConfig::dataDir,
                        Path.of(MasterConfig.DEFAULT_DATA_DIR).toAbsolutePath())
                    .parse(path)
                    .bad("x;y")),
            Map.entry(
                MasterConfig.AGENT_BIND,
                new Sample(
                        "tcp://127.0.0.1:1",
                        "tcp://127.0.0.1:2",
                        "tcp://*:3",
                        MasterConfig::agentBind,
                        MasterConfig.DEFAULT_AGENT_BIND)
                    .bad("127.0.0.1:5555")),
            Map.entry(
                MasterConfig.HTTP_BIND,
                new Sample(
                        "10.0.0.1:1",
                        "10.0.0.2:2",
                        "0.0.0.0:0",
                        c -> c.httpHost() + ":" + c.httpPort(),
                        MasterConfig.DEFAULT_HTTP_BIND)
                    .bad("localhost")),
            Map.entry(
                MasterConfig.API_RATE_LIMIT,
                new Sample("1", "2", "0", MasterConfig::apiRateLimit, 50).parse(number).bad("-1")),
            Map.entry(
                MasterConfig.TLS_CERT,
                new Sample(
                        cert,
                        readable("cert2.pem"),
                        readable("cert3.pem"),
                        c -> c.tlsCert() == null ? null : c.tlsCert().toString(),
                        null)
                    .bad(dir.resolve("missing.pem").toString())
                    .needs(MasterConfig.TLS_KEY, key)),
            Map.entry(
                MasterConfig.TLS_KEY,
                new Sample(
                        key,
                        readable("key2.pem"),
                        readable("key3.pem"),
                        c -> c.tlsKey() == null ? null : c.tlsKey().toString(),
                        null)
                    .bad(dir.toString())
                    .needs(MasterConfig.TLS_CERT, cert)),
            Map.entry(
                MasterConfig.HEARTBEAT,
                new Sample("7", "8", "9", MasterConfig::heartbeat, Duration.ofSeconds(5))
                    .parse(seconds)
                    .bad("5s")),
            Map.entry(
                MasterConfig.OFFLINE_AFTER_MISSED,
                new Sample("4", "5", "6", MasterConfig::offlineAfterMissed, 3)
                    .parse(number)
                    .bad("0")),
            Map.entry(
                MasterConfig.DB_URL,
                new Sample(
                    "jdbc:h2:mem:a",
                    "jdbc:h2:mem:b",
                    "jdbc:postgresql://db/ms",
                    MasterConfig::dbUrl,
                    Database.embeddedUrl(
                        Path.of(MasterConfig.DEFAULT_DATA_DIR).toAbsolutePath().resolve("db")))),
            Map.entry(
                MasterConfig.DB_USER, new Sample("u1", "u2", "u3", MasterConfig::dbUser, "sa")),
            Map.entry(
                MasterConfig.DB_PASSWORD,
                new Sample("p1", "p2", "p3", MasterConfig::dbPassword, "")),
            Map.entry(
                MasterConfig.DB_POOL_SIZE,
                new Sample("2", "3", "4", MasterConfig::dbPoolSize, 8).parse(number).bad("many")),
            Map.entry(
                MasterConfig.MAX_OUTPUT_BYTES,
                new Sample("2048", "4096", "8192", MasterConfig::maxOutputBytes, 1024 * 1024)
                    .parse(number)
                    .bad("1023")),
            Map.entry(
                MasterConfig.MAX_SCRIPT_BYTES,
                new Sample("100", "200", "300", MasterConfig::maxScriptBytes, 1024 * 1024)
                    .parse(number)
                    .bad("1MB")),
            Map.entry(
                MasterConfig.MAX_MESSAGE_BYTES,
                new Sample(
                        "100000",
                        "200000",
                        "300000",
                        MasterConfig::maxMessageBytes,
                        8 * 1024 * 1024)
                    .parse(number)
                    .bad("1024")),
            Map.entry(
                MasterConfig.MAX_TARGETS,
                new Sample("10", "20", "30", MasterConfig::maxTargets, 20_000)
                    .parse(number)
                    .bad("2000000")),
            Map.entry(
                MasterConfig.RETENTION_DAYS,
                new Sample("10", "20", "0", MasterConfig::retentionDays, 30)
                    .parse(number)
                    .bad("-1")),
            Map.entry(
                MasterConfig.METRICS_BIND,
                new Sample(
                        "127.0.0.1:9101",
                        "127.0.0.1:9102",
                        "0.0.0.0:9103",
                        c ->
                            c.metricsHost() == null
                                ? null
                                : c.metricsHost() + ":" + c.metricsPort(),
                        null)
                    .bad("nine")),
            Map.entry(
                MasterConfig.MAX_PENDING_AGENTS,
                new Sample("10", "20", "30", MasterConfig::maxPendingAgents, 1000)
                    .parse(number)
                    .bad("0")),
            Map.entry(
                MasterConfig.MAX_STREAMS_PER_TOKEN,
                new Sample("10", "20", "30", MasterConfig::maxStreamsPerToken, 20)
                    .parse(number)
                    .bad("0")),
            Map.entry(
                MasterConfig.MAX_STREAMS,
                new Sample("10", "20", "30", MasterConfig::maxStreams, 500).parse(number).bad("0")),
            Map.entry(
                MasterConfig.DEFAULT_PARALLEL,
                new Sample("10", "20%", "0", MasterConfig::defaultParallel, "5").bad("-3")),
            Map.entry(
                MasterConfig.MASTER_DEAD_AFTER,
                new Sample("10", "20", "45", MasterConfig::masterDeadAfter, Duration.ofSeconds(30))
                    .parse(seconds)
                    .bad("1")),
            Map.entry(
                MasterConfig.ADVERTISE_AGENT,
                new Sample(
                        "tcp://m1:5555",
                        "tcp://m2.example:5555",
                        "tcp://10.0.0.3:6000",
                        MasterConfig::advertiseAgent,
                        null)
                    .bad("m1:5555")),
            Map.entry(
                MasterConfig.ADVERTISE_API,
                new Sample(
                        "http://m1:8080",
                        "https://m2.example:8443",
                        "https://10.0.0.3",
                        MasterConfig::advertiseApi,
                        null)
                    .bad("m1:8080")),
            Map.entry(
                MasterConfig.RESULT_GRACE,
                new Sample("10", "20", "30", MasterConfig::resultGrace, Duration.ofSeconds(60))
                    .parse(seconds)
                    .bad("0")),
            Map.entry(
                MasterConfig.RELAY_GRACE,
                new Sample("10", "20", "30", MasterConfig::relayGrace, Duration.ofSeconds(300))
                    .parse(seconds)
                    .bad("0")),
            Map.entry(
                MasterConfig.PLAIN_AGENT_BIND,
                new Sample(
                        "tcp://127.0.0.1:11",
                        "tcp://127.0.0.1:12",
                        "tcp://127.0.0.1:13",
                        MasterConfig::plainAgentBind,
                        null)
                    .bad("tcp://127.0.0.1")));
  }

  private static String readable(String name) {
    try {
      return Files.writeString(dir.resolve(name), name).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<String> keys() {
    return MasterConfig.KEYS.stream();
  }

  private static Path file(String key, String value) throws IOException {
    return Files.writeString(
        Files.createTempFile(dir, "master", ".conf"),
        "# master settings\n\n" + key + " = " + value + "\n");
  }

  private static Map<String, String> env(String key, String value) {
    return Map.of(Settings.environmentName(key), value, "UNRELATED", "x");
  }

  @Test
  void everyKeyHasASample() {
    assertThat(samples.keySet()).containsExactlyInAnyOrderElementsOf(MasterConfig.KEYS);
  }

  @ParameterizedTest
  @MethodSource("keys")
  void flagWinsOverEnvironmentOverFileOverDefault(String key) throws Exception {
    Sample s = samples.get(key);
    Settings.Builder none = Settings.builder(MasterConfig.KEYS);
    assertThat(s.get().apply(MasterConfig.from(none.build()))).isEqualTo(s.defaultValue());

    Path file = file(key, s.file());
    Settings.Builder b = Settings.builder(MasterConfig.KEYS).flags(s.needs());
    assertThat(s.get().apply(MasterConfig.from(b.file(file).build())))
        .isEqualTo(s.parse().apply(s.file()));
    assertThat(s.get().apply(MasterConfig.from(b.environment(env(key, s.env())).build())))
        .isEqualTo(s.parse().apply(s.env()));
    assertThat(s.get().apply(MasterConfig.from(b.flag(key, "--" + key, s.flag()).build())))
        .isEqualTo(s.parse().apply(s.flag()));
  }

  @ParameterizedTest
  @MethodSource("keys")
  void badValuesNameTheKeyTheValueAndWhereItCameFrom(String key) throws Exception {
    Sample s = samples.get(key);
    if (s.bad() == null) {
      return; // any text is a valid value
    }
    Path file = file(key, s.bad());
    Map<Settings.Builder, String> sources =
        Map.of(
            Settings.builder(MasterConfig.KEYS).file(file), "file " + file + " line 3",
            Settings.builder(MasterConfig.KEYS).environment(env(key, s.bad())),
                "environment variable " + Settings.environmentName(key),
            Settings.builder(MasterConfig.KEYS).flag(key, "--" + key, s.bad()), "flag --" + key);
    sources.forEach(
        (builder, source) ->
            assertThatThrownBy(() -> MasterConfig.from(builder.flags(s.needs()).build()))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith(key + " = '" + s.bad() + "' (from " + source + "): ")
                .hasMessageNotContaining("\n"));
  }

  @Test
  void aTlsFileWithoutItsPartnerNamesBoth() {
    assertThatThrownBy(
            () ->
                MasterConfig.from(
                    Map.of(MasterConfig.TLS_KEY, samples.get(MasterConfig.TLS_KEY).file())))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("tls-key = ")
        .hasMessageContaining("needs tls-cert");
  }

  @Test
  void aFileWithAnUnknownKeyIsRefused() throws Exception {
    Path file = file("data-dri", "/srv/m");
    assertThatThrownBy(() -> Settings.builder(MasterConfig.KEYS).file(file))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("unknown setting 'data-dri' in file " + file + " line 3");
  }
}
