package io.mschedule.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Summary figures, appended to {@code summary.csv} in the output directory: one row per benchmark,
 * size and metric, with the median and the spread. {@code plot} draws from this file.
 */
public final class Results {
  static final String HEADER = "time,bench,n,metric,unit,median,min,max,runs";

  private final Path file;

  public Results(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.file = dir.resolve("summary.csv");
  }

  public Path file() {
    return file;
  }

  public synchronized void add(String bench, int n, String metric, String unit, Stats s) {
    String line =
        String.format(
            Locale.ROOT,
            "%s,%s,%d,%s,%s,%.4f,%.4f,%.4f,%d%n",
            Instant.now(),
            bench,
            n,
            metric,
            unit,
            s.median(),
            s.min(),
            s.max(),
            s.count());
    try {
      if (!Files.exists(file)) {
        Files.writeString(file, HEADER + "\n", StandardCharsets.UTF_8);
      }
      Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One row of summary.csv. */
  public record Row(
      String bench,
      int n,
      String metric,
      String unit,
      double median,
      double min,
      double max,
      int runs) {}

  /** Every row; for a (bench, n, metric) given several times, the last one wins. */
  public static List<Row> read(Path file) {
    List<Row> rows = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank() || line.startsWith("time,")) {
          continue;
        }
        String[] f = line.split(",");
        Row r =
            new Row(
                f[1],
                Integer.parseInt(f[2]),
                f[3],
                f[4],
                Double.parseDouble(f[5]),
                Double.parseDouble(f[6]),
                Double.parseDouble(f[7]),
                Integer.parseInt(f[8]));
        rows.removeIf(
            o -> o.bench().equals(r.bench()) && o.n() == r.n() && o.metric().equals(r.metric()));
        rows.add(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }
}
