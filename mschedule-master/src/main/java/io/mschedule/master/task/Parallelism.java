package io.mschedule.master.task;

/** Parses {@code parallel}: a count (0 = all at once) or a share of the targets ({@code 50%}). */
public final class Parallelism {
  private Parallelism() {}

  /** The number of runs allowed in flight for {@code targets} runs; 0 means no limit. */
  public static int resolve(Object value, int targets) {
    if (value == null) {
      throw new BadRequestException("parallel", "parallel: required");
    }
    if (value instanceof Number n) {
      if (n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 0) {
        throw invalid(value);
      }
      return (int) Math.min(n.longValue(), Integer.MAX_VALUE);
    }
    String s = value.toString().trim();
    try {
      if (s.endsWith("%")) {
        int pct = Integer.parseInt(s.substring(0, s.length() - 1).trim());
        if (pct < 1 || pct > 100) {
          throw invalid(value);
        }
        return Math.max(1, (int) Math.ceil(targets * pct / 100.0));
      }
      int n = Integer.parseInt(s);
      if (n < 0) {
        throw invalid(value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw invalid(value);
    }
  }

  private static BadRequestException invalid(Object value) {
    return new BadRequestException(
        "parallel",
        "parallel: must be a whole number >= 0 (0 = all at once) or a percentage 1%-100%, got '"
            + value
            + "'");
  }
}
