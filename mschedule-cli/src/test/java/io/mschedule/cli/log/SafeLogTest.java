package io.mschedule.cli.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The shipped logback.xml escapes what a client or an agent could use to forge log lines. */
class SafeLogTest {
  private static String logged(String message, Throwable error) throws Exception {
    LoggerContext ctx = new LoggerContext();
    ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    JoranConfigurator conf = new JoranConfigurator();
    conf.setContext(ctx);
    conf.doConfigure(SafeLogTest.class.getResource("/logback.xml"));
    // same encoder pattern as the console appender, into memory
    var console =
        (ch.qos.logback.core.ConsoleAppender<?>)
            ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("console");
    String pattern = ((PatternLayoutEncoder) console.getEncoder()).getPattern();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PatternLayoutEncoder enc = new PatternLayoutEncoder();
    enc.setContext(ctx);
    enc.setPattern(pattern);
    enc.start();
    OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> app =
        new OutputStreamAppender<>();
    app.setContext(ctx);
    app.setEncoder(enc);
    app.setOutputStream(out);
    app.start();
    Logger log = ctx.getLogger("test");
    log.detachAndStopAllAppenders();
    log.setAdditive(false);
    log.addAppender(app);
    log.warn("agent {} refused", message, error);
    app.stop();
    ctx.stop();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aNewlineInAValueCannotForgeALogLine() throws Exception {
    String text =
        logged(
            "x\n12:00:00.000 INFO  AuditLog - admin token.create\u001b[2J\u202eevil\\u000a", null);
    assertThat(text.lines()).hasSize(1);
    assertThat(text)
        .contains("x\\u000a12:00:00.000 INFO  AuditLog")
        .contains("\\u001b[2J")
        .contains("\\u202eevil")
        .contains("\\\\u000a")
        .doesNotContain("\u001b")
        .doesNotContain("\u202e");
  }

  @Test
  void stackTracesKeepTheirFramesButNotForgedLines() throws Exception {
    String text = logged("a", new IllegalStateException("bad\n12:00:00.000 INFO forged\r"));
    assertThat(text).contains("bad\\u000a12:00:00.000 INFO forged\\u000d");
    assertThat(text.lines().filter(l -> l.startsWith("\tat ")).count()).isGreaterThan(0);
    assertThat(text.lines().filter(l -> l.startsWith("12:00"))).isEmpty();
  }

  @Test
  void tableCellsAreEscaped() {
    assertThat(Escaper.escape("web-01")).isSameAs("web-01");
    assertThat(Escaper.escape("a\u2066b\tc")).isEqualTo("a\\u2066b\\u0009c");
  }
}
