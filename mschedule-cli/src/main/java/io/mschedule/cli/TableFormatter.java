package io.mschedule.cli;

import io.mschedule.cli.log.Escaper;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table: left-aligned columns two spaces apart, no trailing spaces, empty cells shown
 * as "-". Cells are escaped ({@link Escaper}): a hostname or label cannot move the cursor, change
 * colours or reorder text on the terminal.
 */
public final class TableFormatter {
  private static final String GAP = "  ";

  private final String[] headers;
  private final List<String[]> rows = new ArrayList<>();

  public TableFormatter(String... headers) {
    this.headers = headers.clone();
  }

  public TableFormatter row(String... cells) {
    if (cells.length != headers.length) {
      throw new IllegalArgumentException(
          "expected " + headers.length + " cells, got " + cells.length);
    }
    String[] r = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      String c = cells[i] == null || cells[i].isEmpty() ? "-" : cells[i];
      r[i] = Escaper.escape(c);
    }
    rows.add(r);
    return this;
  }

  /** The table, one line per row, each ending with a newline. */
  public String render() {
    int[] width = new int[headers.length];
    for (int i = 0; i < headers.length; i++) {
      width[i] = headers[i].length();
    }
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, headers, width);
    for (String[] r : rows) {
      line(sb, r, width);
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String[] cells, int[] width) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      l.append(cells[i]);
      if (i < cells.length - 1) {
        l.append(" ".repeat(width[i] - cells[i].length())).append(GAP);
      }
    }
    sb.append(l.toString().stripTrailing()).append('\n');
  }
}
