package io.mschedule.cli.launch;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LogSetupTest {
  @TempDir Path dir;

  @Test
  void theLogFileEscapesControlCharacters() throws Exception {
    LogSetup.toFile(dir, "test");
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    try {
      LoggerFactory.getLogger("escape-check")
          .warn("agent {} refused", "web\n2026-11-30T00:00:00.000Z INFO  [main] audit - forged");
    } finally {
      Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
      root.getAppender("file-test").stop();
      root.detachAppender("file-test");
    }
    String text = Files.readString(dir.resolve("test.log"));
    assertThat(text.lines()).hasSize(1);
    assertThat(text).contains("web\\u000a2026-11-30T00:00:00.000Z INFO");
  }
}
