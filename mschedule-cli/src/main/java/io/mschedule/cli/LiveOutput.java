package io.mschedule.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * Prints output chunks as they arrive. With one host the output is passed through as is; with
 * several, each line is prefixed by its host ({@code web-01: text}), holding back incomplete lines
 * until they end so hosts do not interleave within a line.
 */
final class LiveOutput {
  private final PrintWriter out;
  private final boolean prefix;
  private final Map<String, StringBuilder> partial = new HashMap<>();
  private boolean atLineStart = true;

  LiveOutput(PrintWriter out, boolean prefix) {
    this.out = out;
    this.prefix = prefix;
  }

  void write(String key, String host, String data) {
    if (data == null || data.isEmpty()) {
      return;
    }
    if (!prefix) {
      out.print(data);
      atLineStart = data.endsWith("\n");
      out.flush();
      return;
    }
    StringBuilder sb = partial.computeIfAbsent(key, k -> new StringBuilder());
    sb.append(data);
    int nl;
    while ((nl = sb.indexOf("\n")) >= 0) {
      out.print(host + ": " + sb.substring(0, nl + 1));
      sb.delete(0, nl + 1);
    }
    out.flush();
  }

  /** Ends {@code key}'s output (its run has ended): prints what is left of its last line. */
  void end(String key, String host) {
    StringBuilder sb = partial.remove(key);
    if (sb != null && sb.length() > 0) {
      out.println(host + ": " + sb);
    }
    if (!atLineStart) {
      out.println();
      atLineStart = true;
    }
    out.flush();
  }
}
