// A server-sent events parser for fetch() response bodies. Unlike EventSource, fetch() can send
// an Authorization header, so the event stream works when the API requires a bearer token.

/**
 * Incremental parser of the text/event-stream format (WHATWG HTML, "server-sent events"):
 * feed it text as it arrives; it calls onEvent({event, data, id}) for every complete event.
 */
export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buf = '';
    this.skipLf = false; // the previous chunk ended with \r: a leading \n belongs to it
    this.first = true;
    this.reset();
  }

  reset() {
    this.event = '';
    this.data = [];
    this.hasData = false;
  }

  push(text) {
    if (!text) return;
    if (this.first) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.skipLf) {
      this.skipLf = false;
      if (text[0] === '\n') text = text.slice(1);
    }
    let buf = this.buf + text;
    let start = 0;
    for (;;) {
      let i = start;
      const n = buf.length;
      while (i < n) {
        const c = buf.charCodeAt(i);
        if (c === 10 || c === 13) break;
        i++;
      }
      if (i >= n) break;
      const line = buf.slice(start, i);
      if (buf.charCodeAt(i) === 13) {
        if (i + 1 < n) {
          start = buf.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
        } else {
          this.skipLf = true;
          start = i + 1;
        }
      } else {
        start = i + 1;
      }
      this.line(line);
    }
    this.buf = buf.slice(start);
  }

  line(line) {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line[0] === ':') return; // comment (keep-alive)
    const colon = line.indexOf(':');
    let field = line;
    let value = '';
    if (colon >= 0) {
      field = line.slice(0, colon);
      value = line.slice(colon + 1);
      if (value[0] === ' ') value = value.slice(1);
    }
    if (field === 'event') this.event = value;
    else if (field === 'data') {
      this.data.push(value);
      this.hasData = true;
    } else if (field === 'id' && value.indexOf('\0') < 0) this.lastId = value;
    // "retry" and unknown fields are ignored
  }

  dispatch() {
    if (this.hasData) {
      this.onEvent({ event: this.event || 'message', data: this.data.join('\n'), id: this.lastId });
    }
    this.reset();
  }

  /** The stream ended: an event without its closing blank line is dropped, as the spec says. */
  end() {
    this.buf = '';
    this.reset();
  }
}

/**
 * Reads an event stream from a fetch() Response until it ends or the signal aborts. Resolves
 * when the server closes the stream.
 */
export async function readEvents(response, onEvent, signal) {
  const parser = new SseParser(onEvent);
  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8');
  const abort = () => reader.cancel().catch(() => {});
  if (signal) {
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort);
  }
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
    }
    parser.push(decoder.decode());
    parser.end();
  } finally {
    if (signal) signal.removeEventListener('abort', abort);
  }
}
