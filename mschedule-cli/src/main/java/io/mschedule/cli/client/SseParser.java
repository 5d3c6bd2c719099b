package io.mschedule.cli.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Incremental parser of a {@code text/event-stream}, fed with bytes as they arrive (chunk
 * boundaries anywhere, even inside a UTF-8 character). Lines end with LF, CR or CRLF; {@code data:}
 * lines of one event are joined with LF; comments ({@code :...}) and {@code id}/{@code retry}
 * fields are ignored; an event without data is not dispatched; an unterminated event at the end of
 * the stream is dropped, as the SSE specification says.
 */
final class SseParser {

  /** Receives complete events. */
  interface Handler {
    void event(String name, String data);
  }

  private final Handler handler;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String eventName;
  private boolean lastWasCr;
  private boolean firstLine = true;

  SseParser(Handler handler) {
    this.handler = handler;
  }

  void feed(byte[] buf, int off, int len) {
    for (int i = off; i < off + len; i++) {
      byte b = buf[i];
      if (b == '\n') {
        if (lastWasCr) {
          lastWasCr = false; // the LF of a CRLF
          continue;
        }
        endLine();
      } else if (b == '\r') {
        lastWasCr = true;
        endLine();
        continue;
      } else {
        line.write(b);
      }
      lastWasCr = false;
    }
  }

  private void endLine() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (firstLine) {
      firstLine = false;
      if (text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
    }
    if (text.isEmpty()) {
      dispatch();
      return;
    }
    if (text.charAt(0) == ':') {
      return; // comment / keep-alive
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> eventName = value;
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      default -> {
        // id, retry and unknown fields are of no use here
      }
    }
  }

  private void dispatch() {
    String name = eventName == null || eventName.isEmpty() ? "message" : eventName;
    boolean send = hasData;
    String payload = data.toString();
    data.setLength(0);
    hasData = false;
    eventName = null;
    if (send) {
      handler.event(name, payload);
    }
  }
}
