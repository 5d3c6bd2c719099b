package io.mschedule.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenFileTest {
  @Test
  void theFileIsInTheUsersConfigDirectory() {
    assertThat(TokenFile.location(Map.of("XDG_CONFIG_HOME", "/x/cfg"), "/home/u"))
        .isEqualTo(Path.of("/x/cfg/mschedule/tokens"));
    assertThat(TokenFile.location(Map.of(), "/home/u"))
        .isEqualTo(Path.of("/home/u/.config/mschedule/tokens"));
    assertThat(TokenFile.location(Map.of("XDG_CONFIG_HOME", "relative"), "/home/u"))
        .isEqualTo(Path.of("/home/u/.config/mschedule/tokens"));
  }

  @Test
  void keysAreNormalisedUrls() {
    assertThat(TokenFile.key("127.0.0.1:8080")).isEqualTo("http://127.0.0.1:8080");
    assertThat(TokenFile.key("http://LOCALHOST")).isEqualTo("http://localhost:80");
    assertThat(TokenFile.key("https://m.example/")).isEqualTo("https://m.example:443");
  }
}
