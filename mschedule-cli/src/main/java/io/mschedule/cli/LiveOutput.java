package io.mschedule.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * Prints output chunks as they arrive. When several hosts run at once, each line is prefixed by its
 * host ({@code web-01 | text}), holding back incomplete lines until they end so hosts do not
 * interleave within a line. Otherwise the output is passed through as is; with {@code headers}, a
 * {@code web-02 >>} line marks where the next host's output begins (hosts that run one after the
 * other).
 */
final class LiveOutput {
  private final PrintWriter out;
  private final Colors colors;
  private final boolean prefix;
  private final boolean headers;
  private final Map<String, StringBuilder> partial = new HashMap<>();
  private boolean atLineStart = true;
  private String lastKey;

  LiveOutput(PrintWriter out, boolean prefix) {
    this(out, prefix, false);
  }

  LiveOutput(PrintWriter out, boolean prefix, boolean headers) {
    this(out, Colors.PLAIN, prefix, headers);
  }

  LiveOutput(PrintWriter out, Colors colors, boolean prefix, boolean headers) {
    this.out = out;
    this.colors = colors;
    this.prefix = prefix;
    this.headers = headers;
  }

  void write(String key, String host, String data) {
    write(key, host, data, false);
  }

  /** As {@link #write(String, String, String)}; stderr is shown red when colours are on. */
  void write(String key, String host, String data, boolean stderr) {
    if (data == null || data.isEmpty()) {
      return;
    }
    if (stderr) {
      data = colors.stderr(data);
    }
    if (!prefix) {
      if (headers && !key.equals(lastKey)) {
        if (!atLineStart) {
          out.println();
        }
        out.println(host + " >>");
        lastKey = key;
      }
      out.print(data);
      atLineStart = data.endsWith("\n");
      out.flush();
      return;
    }
    StringBuilder sb = partial.computeIfAbsent(key, k -> new StringBuilder());
    sb.append(data);
    int nl;
    while ((nl = sb.indexOf("\n")) >= 0) {
      out.print(host + " | " + sb.substring(0, nl + 1));
      sb.delete(0, nl + 1);
    }
    out.flush();
  }

  /** Ends {@code key}'s output (its run has ended): prints what is left of its last line. */
  void end(String key, String host) {
    StringBuilder sb = partial.remove(key);
    if (sb != null && sb.length() > 0) {
      out.println(host + " | " + sb);
    }
    if (!atLineStart) {
      out.println();
      atLineStart = true;
    }
    lastKey = null;
    out.flush();
  }
}
