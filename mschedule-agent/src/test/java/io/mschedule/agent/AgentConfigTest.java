package io.mschedule.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mschedule.protocol.settings.Settings;
import io.mschedule.protocol.settings.SettingsException;
import io.mschedule.protocol.signing.OrderKeys;
import io.mschedule.protocol.zerorpc.CurveKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every agent setting from every source: flag > environment > file > default. */
class AgentConfigTest {
  private static final String KEY_A = CurveKeys.encodeZ85(CurveKeys.generate().publicKey());
  private static final String KEY_B = CurveKeys.encodeZ85(CurveKeys.generate().publicKey());
  private static final String KEY_C = CurveKeys.encodeZ85(CurveKeys.generate().publicKey());

  @TempDir Path dir;

  /**
   * Three valid values of a key (for the file, the environment and a flag), how to read it from the
   * configuration, its default and a bad value (null: any text is valid).
   */
  record Sample(
      String file,
      String env,
      String flag,
      Function<AgentConfig, Object> get,
      Function<String, Object> parse,
      Object defaultValue,
      String bad) {}

  private static final Function<String, Object> TEXT = t -> t;
  private static final Function<String, Object> SECONDS =
      t -> Duration.ofSeconds(Long.parseLong(t));

  private static Map<String, Sample> samples(Object... keyThenSample) {
    Map<String, Sample> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keyThenSample.length; i += 2) {
      out.put((String) keyThenSample[i], (Sample) keyThenSample[i + 1]);
    }
    return Map.copyOf(out);
  }

  private static final Map<String, Sample> SAMPLES =
      samples(
          AgentConfig.DATA_DIR,
          new Sample(
              "/srv/a",
              "/srv/b",
              "rel/c",
              AgentConfig::dataDir,
              t -> Path.of(t).toAbsolutePath(),
              Path.of(AgentConfig.DEFAULT_DATA_DIR).toAbsolutePath(),
              "bad\0path"),
          AgentConfig.MASTER,
          new Sample(
              "tcp://m1:1",
              "tcp://m2:2,tcp://m3:3",
              "tcp://10.0.0.3:5555",
              AgentConfig::master,
              TEXT,
              AgentConfig.DEFAULT_MASTER,
              "m1:5555"),
          AgentConfig.LABELS,
          new Sample(
              "dc=a",
              "dc=b,role=web",
              "dc=c",
              AgentConfig::labels,
              AgentConfigTest::labels,
              Map.of(),
              "dc"),
          AgentConfig.HEARTBEAT,
          new Sample("7", "8", "9", AgentConfig::heartbeat, SECONDS, Duration.ofSeconds(5), "3601"),
          AgentConfig.FACTS_REFRESH,
          new Sample(
              "70", "80", "90", AgentConfig::factsRefresh, SECONDS, Duration.ofSeconds(60), "0"),
          AgentConfig.CALL_TIMEOUT,
          new Sample(
              "11", "12", "13", AgentConfig::callTimeout, SECONDS, Duration.ofSeconds(10), "1m"),
          AgentConfig.MAX_OUTPUT_BYTES,
          new Sample(
              "2048",
              "4096",
              "8192",
              AgentConfig::maxOutputBytes,
              Integer::valueOf,
              1024 * 1024,
              "lots"),
          AgentConfig.KILL_GRACE,
          new Sample("0", "1", "3", AgentConfig::killGrace, SECONDS, Duration.ofSeconds(2), "-1"),
          AgentConfig.METRICS_BIND,
          new Sample(
              "127.0.0.1:9201",
              "127.0.0.1:9202",
              "0.0.0.0:9203",
              c -> c.metricsHost() == null ? null : c.metricsHost() + ":" + c.metricsPort(),
              TEXT,
              null,
              "nine"),
          AgentConfig.NAME,
          new Sample("web-a", "web-b", "web-c", AgentConfig::name, t -> t, null, "web:01"),
          AgentConfig.MAX_CONCURRENT_RUNS,
          new Sample("1", "8", "100", AgentConfig::maxConcurrentRuns, Integer::valueOf, 64, "4097"),
          AgentConfig.MASTER_KEY,
          new Sample(
              KEY_A,
              KEY_B,
              KEY_C,
              c -> CurveKeys.encodeZ85(c.masterKey()),
              TEXT,
              null, // required: see missingMasterKeySaysHowToGiveIt
              "not-a-key"),
          AgentConfig.ORDER_KEY,
          new Sample(
              "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
              "qWniCV9Zr5QUsPFkqIk+gh1x/YzQa87Gub13RcxI2KA=",
              "CLeDAOYCh91ZFjWOiBa9/gdT+lfob3cJ9L6aFDAhrrs=",
              c -> c.orderKey() == null ? null : OrderKeys.encode(c.orderKey()),
              TEXT,
              null,
              "c2hvcnQ="),
          AgentConfig.JOIN_TOKEN,
          new Sample("t1", "t2", "t3", AgentConfig::joinToken, TEXT, null, null));

  private static Object labels(String text) {
    return Map.of(
            "dc=a",
            Map.of("dc", "a"),
            "dc=b,role=web",
            Map.of("dc", "b", "role", "web"),
            "dc=c",
            Map.of("dc", "c"))
        .get(text);
  }

  static Stream<String> keys() {
    return AgentConfig.KEYS.stream();
  }

  /** What every agent needs: the master's key, unless the key under test is that. */
  private static Map<String, String> needs(String key) {
    return key.equals(AgentConfig.MASTER_KEY) ? Map.of() : Map.of(AgentConfig.MASTER_KEY, KEY_A);
  }

  private Path file(String key, String value) throws IOException {
    return Files.writeString(
        Files.createTempFile(dir, "agent", ".conf"),
        "# agent settings\n" + key + " = " + value + "\n");
  }

  private static Map<String, String> env(String key, String value) {
    return Map.of(Settings.environmentName(key), value, "PATH", "/usr/bin");
  }

  @Test
  void everyKeyHasASample() {
    assertThat(SAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(AgentConfig.KEYS);
  }

  @ParameterizedTest
  @MethodSource("keys")
  void flagWinsOverEnvironmentOverFileOverDefault(String key) throws Exception {
    Sample s = SAMPLES.get(key);
    if (!key.equals(AgentConfig.MASTER_KEY)) {
      Settings none = Settings.builder(AgentConfig.KEYS).flags(needs(key)).build();
      assertThat(s.get().apply(AgentConfig.from(none))).isEqualTo(s.defaultValue());
    }
    Settings.Builder b = Settings.builder(AgentConfig.KEYS).flags(needs(key));
    assertThat(s.get().apply(AgentConfig.from(b.file(file(key, s.file())).build())))
        .isEqualTo(s.parse().apply(s.file()));
    assertThat(s.get().apply(AgentConfig.from(b.environment(env(key, s.env())).build())))
        .isEqualTo(s.parse().apply(s.env()));
    assertThat(s.get().apply(AgentConfig.from(b.flag(key, "--" + key, s.flag()).build())))
        .isEqualTo(s.parse().apply(s.flag()));
  }

  @ParameterizedTest
  @MethodSource("keys")
  void badValuesNameTheKeyTheValueAndWhereItCameFrom(String key) throws Exception {
    Sample s = SAMPLES.get(key);
    if (s.bad() == null) {
      return; // any text is a valid value
    }
    Path file = file(key, s.bad());
    Map<Settings.Builder, String> sources =
        Map.of(
            Settings.builder(AgentConfig.KEYS).file(file), "file " + file + " line 2",
            Settings.builder(AgentConfig.KEYS).environment(env(key, s.bad())),
                "environment variable " + Settings.environmentName(key),
            Settings.builder(AgentConfig.KEYS).flag(key, "--" + key, s.bad()), "flag --" + key);
    sources.forEach(
        (builder, source) ->
            assertThatThrownBy(() -> AgentConfig.from(builder.flags(needs(key)).build()))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith(key + " = '" + s.bad() + "' (from " + source + "): ")
                .hasMessageNotContaining("\n"));
  }

  @Test
  void missingMasterKeySaysHowToGiveIt() {
    Settings s =
        Settings.builder(AgentConfig.KEYS)
            .flag(AgentConfig.MASTER_KEY, "--master-key", null)
            .build();
    assertThatThrownBy(() -> AgentConfig.from(s))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("master-key is not set: the master's public key")
        .hasMessageContaining("--master-key")
        .hasMessageContaining("MSCHEDULE_MASTER_KEY");
  }

  @Test
  void theMasterKeyMayBeAFile() throws Exception {
    Path key = Files.writeString(dir.resolve("master.pub"), KEY_B + "\n");
    AgentConfig c = AgentConfig.from(Map.of(AgentConfig.MASTER_KEY, key.toString()));
    assertThat(CurveKeys.encodeZ85(c.masterKey())).isEqualTo(KEY_B);

    // a path as long as a Z85 key is still read as a file
    assumeTrue(dir.toString().length() < 39, "the temporary directory's path is short enough");
    String name = "k".repeat(40 - dir.toString().length() - 1);
    Path forty = Files.writeString(dir.resolve(name), KEY_C + "\n");
    assertThat(forty.toString()).hasSize(40);
    AgentConfig c40 = AgentConfig.from(Map.of(AgentConfig.MASTER_KEY, forty.toString()));
    assertThat(CurveKeys.encodeZ85(c40.masterKey())).isEqualTo(KEY_C);
  }

  @Test
  void severalMastersShareOneKeyOrTakeOneEach() {
    AgentConfig shared =
        AgentConfig.from(
            Map.of(
                AgentConfig.MASTER, "tcp://m1:5555, tcp://m2:5555", AgentConfig.MASTER_KEY, KEY_A));
    assertThat(shared.masters())
        .extracting(MasterEndpoint::endpoint)
        .containsExactly("tcp://m1:5555", "tcp://m2:5555");
    assertThat(shared.masters())
        .extracting(m -> CurveKeys.encodeZ85(m.key()))
        .containsExactly(KEY_A, KEY_A);

    AgentConfig each =
        AgentConfig.from(
            Map.of(
                AgentConfig.MASTER,
                "tcp://m1:5555,tcp://m2:5555",
                AgentConfig.MASTER_KEY,
                KEY_A + "," + KEY_B));
    assertThat(each.masters())
        .extracting(m -> CurveKeys.encodeZ85(m.key()))
        .containsExactly(KEY_A, KEY_B);
  }

  @Test
  void aKeyCountThatMatchesNeitherOneNorTheMastersIsRefused() {
    assertThatThrownBy(
            () ->
                AgentConfig.from(
                    Map.of(
                        AgentConfig.MASTER,
                        "tcp://m1:1,tcp://m2:2,tcp://m3:3",
                        AgentConfig.MASTER_KEY,
                        KEY_A + "," + KEY_B)))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("2 keys for 3 master endpoints");
  }

  @Test
  void aMasterListedTwiceOrAnEmptyEntryIsRefused() {
    assertThatThrownBy(
            () ->
                AgentConfig.from(
                    Map.of(
                        AgentConfig.MASTER,
                        "tcp://m1:1,tcp://m1:1",
                        AgentConfig.MASTER_KEY,
                        KEY_A)))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("'tcp://m1:1' is listed twice");
    assertThatThrownBy(
            () ->
                AgentConfig.from(
                    Map.of(AgentConfig.MASTER, "tcp://m1:1,", AgentConfig.MASTER_KEY, KEY_A)))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("an entry is empty");
  }
}
