package io.mschedule.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.protocol.settings.Settings;
import io.mschedule.protocol.settings.SettingsException;
import io.mschedule.protocol.zerorpc.CurveKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every relay setting from every source: flag > environment > file > default. */
class RelayConfigTest {
  private static final String KEY_A = CurveKeys.encodeZ85(CurveKeys.generate().publicKey());
  private static final String KEY_B = CurveKeys.encodeZ85(CurveKeys.generate().publicKey());
  private static final String KEY_C = CurveKeys.encodeZ85(CurveKeys.generate().publicKey());

  @TempDir Path dir;

  /** Three valid values (file, environment, flag), the getter, the parser, default, bad value. */
  record Sample(
      String file,
      String env,
      String flag,
      Function<RelayConfig, Object> get,
      Function<String, Object> parse,
      Object defaultValue,
      String bad) {}

  private static final Function<String, Object> TEXT = t -> t;

  private static final Map<String, Sample> SAMPLES =
      Map.of(
          RelayConfig.DATA_DIR,
          new Sample(
              "/srv/a",
              "/srv/b",
              "rel/c",
              RelayConfig::dataDir,
              t -> Path.of(t).toAbsolutePath(),
              Path.of(RelayConfig.DEFAULT_DATA_DIR).toAbsolutePath(),
              "bad\0path"),
          RelayConfig.MASTER,
          new Sample(
              "tcp://m1:1",
              "tcp://m2:2,tcp://m3:3",
              "tcp://10.0.0.3:5555",
              c ->
                  c.masters().stream()
                      .map(RelayConfig.MasterEndpoint::endpoint)
                      .collect(Collectors.joining(",")),
              TEXT,
              RelayConfig.DEFAULT_MASTER,
              "m1:5555"),
          RelayConfig.MASTER_KEY,
          new Sample(
              KEY_A,
              KEY_B,
              KEY_C,
              c -> CurveKeys.encodeZ85(c.masters().get(0).key()),
              TEXT,
              null,
              "not-a-key"),
          RelayConfig.AGENT_BIND,
          new Sample(
              "tcp://0.0.0.0:1",
              "tcp://127.0.0.1:2",
              "tcp://10.0.0.1:3",
              RelayConfig::agentBind,
              TEXT,
              RelayConfig.DEFAULT_AGENT_BIND,
              "0.0.0.0:1"),
          RelayConfig.PLAIN_AGENT_BIND,
          new Sample(
              "tcp://0.0.0.0:4",
              "tcp://127.0.0.1:5",
              "tcp://10.0.0.1:6",
              RelayConfig::plainAgentBind,
              TEXT,
              null,
              "0.0.0.0:4"),
          RelayConfig.ADVERTISE,
          new Sample(
              "tcp://r1:1", "tcp://r2:2", "tcp://r3:3", RelayConfig::advertise, TEXT, null, "r1:1"),
          RelayConfig.DATACENTER,
          new Sample("east", "west", "bj-1", RelayConfig::datacenter, TEXT, null, "no spaces"),
          RelayConfig.JOIN_TOKEN,
          new Sample("t1", "t2", "t3", RelayConfig::joinToken, TEXT, null, null),
          RelayConfig.CALL_TIMEOUT,
          new Sample(
              "1",
              "2",
              "3",
              RelayConfig::callTimeout,
              t -> Duration.ofSeconds(Long.parseLong(t)),
              Duration.ofSeconds(RelayConfig.DEFAULT_CALL_TIMEOUT_SECONDS),
              "0"),
          RelayConfig.SPOOL_MAX_BYTES,
          new Sample(
              "1048576",
              "2097152",
              "10000000",
              RelayConfig::spoolMaxBytes,
              Long::parseLong,
              RelayConfig.DEFAULT_SPOOL_MAX_BYTES,
              "1000"));

  static Stream<String> keys() {
    return RelayConfig.KEYS.stream();
  }

  private static Map<String, String> needs(String key) {
    return key.equals(RelayConfig.MASTER_KEY) ? Map.of() : Map.of(RelayConfig.MASTER_KEY, KEY_A);
  }

  private Path file(String key, String value) throws IOException {
    return Files.writeString(
        Files.createTempFile(dir, "relay", ".conf"),
        "# relay settings\n" + key + " = " + value + "\n");
  }

  private static Map<String, String> env(String key, String value) {
    return Map.of(Settings.environmentName(key), value, "PATH", "/usr/bin");
  }

  @Test
  void everyKeyHasASample() {
    assertThat(SAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(RelayConfig.KEYS);
  }

  @ParameterizedTest
  @MethodSource("keys")
  void flagWinsOverEnvironmentOverFileOverDefault(String key) throws Exception {
    Sample s = SAMPLES.get(key);
    if (!key.equals(RelayConfig.MASTER_KEY)) {
      Settings none = Settings.builder(RelayConfig.KEYS).flags(needs(key)).build();
      assertThat(s.get().apply(RelayConfig.from(none))).isEqualTo(s.defaultValue());
    }
    Settings.Builder b = Settings.builder(RelayConfig.KEYS).flags(needs(key));
    assertThat(s.get().apply(RelayConfig.from(b.file(file(key, s.file())).build())))
        .isEqualTo(s.parse().apply(s.file()));
    assertThat(s.get().apply(RelayConfig.from(b.environment(env(key, s.env())).build())))
        .isEqualTo(s.parse().apply(s.env()));
    assertThat(s.get().apply(RelayConfig.from(b.flag(key, "--" + key, s.flag()).build())))
        .isEqualTo(s.parse().apply(s.flag()));
  }

  @ParameterizedTest
  @MethodSource("keys")
  void badValuesNameTheKeyTheValueAndWhereItCameFrom(String key) {
    Sample s = SAMPLES.get(key);
    if (s.bad() == null) {
      return; // any text is a valid value
    }
    assertThatThrownBy(
            () ->
                RelayConfig.from(
                    Settings.builder(RelayConfig.KEYS)
                        .flags(needs(key))
                        .environment(env(key, s.bad()))
                        .build()))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith(
            key
                + " = '"
                + s.bad()
                + "' (from environment variable "
                + Settings.environmentName(key)
                + "): ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void missingMasterKeySaysHowToGiveIt() {
    Settings s =
        Settings.builder(RelayConfig.KEYS)
            .flag(RelayConfig.MASTER_KEY, "--master-key", null)
            .build();
    assertThatThrownBy(() -> RelayConfig.from(s))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("master-key is not set: the master's public key")
        .hasMessageContaining("--master-key");
  }

  @Test
  void theAddressShownIsTheAdvertisedOneElseTheBindAddress() {
    RelayConfig plain =
        RelayConfig.from(
            Map.of(RelayConfig.MASTER_KEY, KEY_A, RelayConfig.AGENT_BIND, "tcp://10.0.0.1:5556"));
    assertThat(plain.address()).isEqualTo("tcp://10.0.0.1:5556");
    RelayConfig advertised =
        RelayConfig.from(
            Map.of(RelayConfig.MASTER_KEY, KEY_A, RelayConfig.ADVERTISE, "tcp://relay-east:5556"));
    assertThat(advertised.address()).isEqualTo("tcp://relay-east:5556");
  }
}
