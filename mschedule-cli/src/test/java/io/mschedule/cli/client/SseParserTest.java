package io.mschedule.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  private final List<String> events = new ArrayList<>();
  private final SseParser parser = new SseParser((name, data) -> events.add(name + "=" + data));

  private void feed(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    parser.feed(b, 0, b.length);
  }

  @Test
  void namedEventsAndDefaultName() {
    feed("event: task\ndata: {\"a\":1}\n\ndata: plain\n\n");
    assertThat(events).containsExactly("task={\"a\":1}", "message=plain");
  }

  @Test
  void multiLineDataIsJoinedWithNewlines() {
    feed("event: output\ndata: one\ndata:two\ndata: \n\n");
    assertThat(events).containsExactly("output=one\ntwo\n");
  }

  @Test
  void commentsKeepAlivesAndOtherFieldsAreIgnored() {
    feed(": keep-alive\n\n:ping\nid: 7\nretry: 1000\nevent: run\n: in between\ndata: x\n\n");
    assertThat(events).containsExactly("run=x");
  }

  @Test
  void eventWithoutDataIsNotDispatchedAndItsNameDoesNotLeak() {
    feed("event: task\n\ndata: y\n\n");
    assertThat(events).containsExactly("message=y");
  }

  @Test
  void crLfAndCrLineEndings() {
    feed("event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\r");
    assertThat(events).containsExactly("a=1", "b=2");
  }

  @Test
  void crLfSplitAcrossChunks() {
    feed("event: a\r");
    feed("\ndata: 1\r");
    feed("\n\r");
    feed("\n");
    assertThat(events).containsExactly("a=1");
  }

  @Test
  void anyChunkBoundaryIncludingInsideUtf8Characters() {
    String stream =
        "event: output\r\ndata: {\"data\":\"héllo → wörld ✓\"}\n\n: ka\n\nevent: x\ndata: 2\n\n";
    byte[] all = stream.getBytes(StandardCharsets.UTF_8);
    for (int size = 1; size <= 7; size++) {
      events.clear();
      SseParser p = new SseParser((name, data) -> events.add(name + "=" + data));
      for (int i = 0; i < all.length; i += size) {
        p.feed(all, i, Math.min(size, all.length - i));
      }
      assertThat(events)
          .as("chunks of %d bytes", size)
          .containsExactly("output={\"data\":\"héllo → wörld ✓\"}", "x=2");
    }
  }

  @Test
  void unterminatedEventAtTheEndIsDropped() {
    feed("event: a\ndata: 1\n\nevent: b\ndata: 2\n");
    assertThat(events).containsExactly("a=1");
  }

  @Test
  void byteOrderMarkAndLinesWithoutColon() {
    feed("\uFEFFdata\n\nevent: t\ndata: z\n\n");
    assertThat(events).containsExactly("message=", "t=z");
  }
}
