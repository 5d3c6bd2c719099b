package io.mschedule.protocol.zerorpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The captured events of {@code zerorpc-wire-vectors.md} (a copy of the shared reference). */
final class WireVectors {
  /** One captured event: its bytes and Python's reading of them. */
  record Vector(String title, byte[] payload, String decoded, boolean tracebackNil) {
    @Override
    public String toString() {
      return title;
    }
  }

  private static final Pattern LAST_BACKTICKED = Pattern.compile("`([^`]*)`\\s*$");

  private WireVectors() {}

  static List<Vector> load() {
    String text;
    try (InputStream in = WireVectors.class.getResourceAsStream("/zerorpc-wire-vectors.md")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Vector> vectors = new ArrayList<>();
    String title = null;
    String hexLine = null;
    for (String line : text.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("- t=")) {
        title = trimmed.substring(2);
      } else if (trimmed.startsWith("- payload hex:")) {
        hexLine = trimmed;
      } else if (trimmed.startsWith("- decoded:")) {
        Matcher hex = LAST_BACKTICKED.matcher(hexLine);
        Matcher decoded = LAST_BACKTICKED.matcher(trimmed);
        if (!hex.find() || !decoded.find()) {
          throw new IllegalStateException("cannot read vector " + title);
        }
        // the file says so for its ERR vector: the payload carries traceback nil, the decoded
        // line shows the traceback of the original capture
        boolean tracebackNil = hexLine.contains("traceback nil");
        vectors.add(
            new Vector(
                title, HexFormat.of().parseHex(hex.group(1)), decoded.group(1), tracebackNil));
      }
    }
    return vectors;
  }
}
