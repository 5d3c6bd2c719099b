package io.mschedule.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median, spread and percentiles of a handful of measurements. */
public record Stats(double median, double min, double max, int count) {

  public static Stats of(List<Double> values) {
    if (values.isEmpty()) {
      return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    List<Double> v = new ArrayList<>(values);
    Collections.sort(v);
    return new Stats(percentile(v, 50), v.get(0), v.get(v.size() - 1), v.size());
  }

  /** The p-th percentile (nearest rank) of sorted values. */
  public static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int n = sorted.size();
    if (p == 50 && n % 2 == 0) {
      return (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
    int rank = (int) Math.ceil(p / 100.0 * n);
    return sorted.get(Math.max(0, Math.min(n - 1, rank - 1)));
  }

  /** Half the range relative to the median, in percent: a rough noise figure. */
  public double spreadPercent() {
    return median == 0 ? 0 : (max - min) / 2 / median * 100;
  }

  /** e.g. {@code 123.4 (110.2–140.9)}. */
  public String format(String fmt) {
    if (count == 0) {
      return "-";
    }
    if (count == 1) {
      return String.format(fmt, median);
    }
    return String.format(fmt + " (" + fmt + "–" + fmt + ")", median, min, max);
  }
}
