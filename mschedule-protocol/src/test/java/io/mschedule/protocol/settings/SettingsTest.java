package io.mschedule.protocol.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {
  private static final List<String> KEYS =
      List.of("data-dir", "heartbeat", "http-bind", "master", "tls-cert", "labels", "name");

  @TempDir Path dir;

  private Path file(String text) throws Exception {
    Path f = dir.resolve("mschedule.conf");
    Files.writeString(f, text);
    return f;
  }

  private Settings fromFile(String text) throws Exception {
    return Settings.builder(KEYS).file(file(text)).build();
  }

  private static Settings fromEnv(String key, String value) {
    return Settings.builder(KEYS).environment(Map.of(Settings.environmentName(key), value)).build();
  }

  @Test
  void flagWinsOverEnvironmentOverFileOverDefault() throws Exception {
    Path f = file("name = from-file\n");
    Map<String, String> env = Map.of("MSCHEDULE_NAME", "from-env");
    assertThat(Settings.builder(KEYS).build().string("name", "dflt")).isEqualTo("dflt");
    assertThat(Settings.builder(KEYS).file(f).build().string("name", "dflt"))
        .isEqualTo("from-file");
    Settings envAndFile = Settings.builder(KEYS).environment(env).file(f).build();
    assertThat(envAndFile.string("name", "dflt")).isEqualTo("from-env");
    assertThat(envAndFile.sourceOf("name").kind()).isEqualTo(SettingSource.Kind.ENVIRONMENT);
    Settings all =
        Settings.builder(KEYS).flag("name", "--name", "from-flag").environment(env).file(f).build();
    assertThat(all.string("name", "dflt")).isEqualTo("from-flag");
    assertThat(all.sourceOf("name")).hasToString("flag --name");
  }

  @Test
  void flagsAndVariablesThatAreNotGivenOrBlankDoNotCount() throws Exception {
    Settings s =
        Settings.builder(KEYS)
            .file(file("name = from-file\nheartbeat =\n"))
            .environment(Map.of("MSCHEDULE_NAME", "  "))
            .flag("name", "--name", null)
            .build();
    assertThat(s.string("name", "dflt")).isEqualTo("from-file");
    assertThat(s.intIn("heartbeat", 5, 1, 10)).isEqualTo(5);
    assertThat(s.sourceOf("heartbeat").kind()).isEqualTo(SettingSource.Kind.DEFAULT);
  }

  @Test
  void environmentNamesAreUpperCaseWithUnderscores() {
    assertThat(Settings.environmentName("data-dir")).isEqualTo("MSCHEDULE_DATA_DIR");
    assertThat(Settings.environmentName("max-output-bytes"))
        .isEqualTo("MSCHEDULE_MAX_OUTPUT_BYTES");
    assertThat(fromEnv("data-dir", "/srv/x").path("data-dir", "d")).isEqualTo(Path.of("/srv/x"));
  }

  @Test
  void theFileHasCommentsBlankLinesAndSpaces() throws Exception {
    Settings s = fromFile("# master\n\n  name=a b # not a comment  \n\theartbeat  =  7\n");
    assertThat(s.string("name", null)).isEqualTo("a b # not a comment");
    assertThat(s.intIn("heartbeat", 5, 1, 10)).isEqualTo(7);
    assertThat(s.sourceOf("heartbeat").where()).endsWith("mschedule.conf line 4");
  }

  @Test
  void anUnknownKeyInTheFileIsAnErrorNamingKeyFileAndLine() throws Exception {
    assertThatThrownBy(() -> fromFile("name = x\nhartbeat = 5\n"))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("unknown setting 'hartbeat'")
        .hasMessageContaining(dir.resolve("mschedule.conf") + " line 2")
        .hasMessageContaining("heartbeat");
  }

  @Test
  void malformedAndRepeatedLinesAreErrors() throws Exception {
    assertThatThrownBy(() -> fromFile("name x\n"))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("'name x'")
        .hasMessageContaining("line 1")
        .hasMessageContaining("key = value");
    assertThatThrownBy(() -> fromFile("name = a\n\nname = b\n"))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("name is set twice")
        .hasMessageContaining("line 1 and line 3");
    Path missing = dir.resolve("nope.conf");
    assertThatThrownBy(() -> Settings.builder(KEYS).file(missing))
        .isInstanceOf(SettingsException.class)
        .hasMessage("--config: cannot read the settings file " + missing + ": no such file");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "heartbeat | 0     | whole seconds from 1 to 3600",
        "heartbeat | soon  | whole seconds from 1 to 3600",
        "http-bind | 8080  | HOST:PORT with a port from 0 to 65535",
        "http-bind | h:99999 | HOST:PORT with a port from 0 to 65535",
        "master    | 1.2.3.4:5555 | tcp://HOST:PORT with a port from 0 to 65535",
        "master    | tcp://h:70000 | tcp://HOST:PORT with a port from 0 to 65535",
        "tls-cert  | /no/such.pem | a readable file",
        "labels    | dc=bj,web | KEY=VALUE pairs separated by commas ('web' is not one)",
      })
  void badValuesNameKeyValueAllowedAndSource(String key, String value, String allowed) {
    Settings s = fromEnv(key, value);
    String env = Settings.environmentName(key);
    assertThatThrownBy(
            () -> {
              switch (key) {
                case "heartbeat" -> s.seconds(key, 5, 1, 3600);
                case "http-bind" -> s.hostPort(key, "127.0.0.1:8080");
                case "master" -> s.endpoint(key, null);
                case "tls-cert" -> s.readableFile(key);
                default -> s.labels(key);
              }
            })
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith(
            key
                + " = '"
                + value
                + "' (from environment variable "
                + env
                + "): expected "
                + allowed);
  }

  @Test
  void intInRangeNamesTheRangeAndTheFileLine() throws Exception {
    Settings s = fromFile("\nheartbeat = 11\n");
    assertThatThrownBy(() -> s.intIn("heartbeat", 5, 1, 10))
        .hasMessage(
            "heartbeat = '11' (from file "
                + dir.resolve("mschedule.conf")
                + " line 2): expected a whole number from 1 to 10");
  }

  @Test
  void goodValuesAreTyped() throws Exception {
    Path cert = file("x");
    Settings s =
        Settings.builder(KEYS)
            .flags(
                Map.of(
                    "heartbeat", "30",
                    "http-bind", "0.0.0.0:0",
                    "master", "tcp://m.example:5555",
                    "tls-cert", cert.toString(),
                    "labels", " dc = bj1 ,role=web,,"))
            .build();
    assertThat(s.seconds("heartbeat", 5, 1, 60)).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.hostPort("http-bind", "127.0.0.1:8080")).isEqualTo(new HostPort("0.0.0.0", 0));
    assertThat(s.endpoint("master", null)).isEqualTo("tcp://m.example:5555");
    assertThat(s.readableFile("tls-cert")).isEqualTo(cert.toAbsolutePath());
    assertThat(s.labels("labels"))
        .containsExactly(Map.entry("dc", "bj1"), Map.entry("role", "web"));
    Settings none = Settings.builder(KEYS).build();
    assertThat(none.hostPort("http-bind", "127.0.0.1:8080"))
        .isEqualTo(new HostPort("127.0.0.1", 8080));
    assertThat(none.readableFile("tls-cert")).isNull();
    assertThat(none.labels("labels")).isEmpty();
    assertThat(none.endpoint("master", null)).isNull();
  }

  @Test
  void aMissingRequiredSettingSaysHowToGiveIt() {
    Settings s = Settings.builder(KEYS).flag("name", "--name", null).build();
    assertThatThrownBy(() -> s.required("name", "the name of the thing"))
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            "name is not set: the name of the thing; give it with --name, environment variable"
                + " MSCHEDULE_NAME or 'name = ...' in the --config file");
  }

  @Test
  void customParsersReportTheValueAndSource() {
    Settings s = Settings.builder(KEYS).flag("name", "--name", "bad").build();
    assertThatThrownBy(
            () ->
                s.custom(
                    "name",
                    null,
                    t -> {
                      throw new IllegalArgumentException("expected a good name");
                    }))
        .isInstanceOf(SettingsException.class)
        .hasMessage("name = 'bad' (from flag --name): expected a good name");
    assertThat(s.custom("name", null, String::length)).isEqualTo(3);
  }

  @Test
  void keysThatAreNotSettingsAreProgrammingErrors() {
    assertThatThrownBy(() -> Settings.builder(KEYS).flag("nope", "--nope", "x"))
        .isNotInstanceOf(SettingsException.class)
        .hasMessage("not a setting: nope");
    assertThatThrownBy(() -> Settings.builder(KEYS).build().string("nope", null))
        .hasMessage("not a setting: nope");
  }
}
