package io.mschedule.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/** Line charts of how each figure grows with N, drawn with Java2D into PNG files. */
final class Plots {
  private static final Color[] COLORS = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0x9467bd),
    new Color(0xff7f0e)
  };
  private static final Color TARGET = new Color(0x888888);

  private Plots() {}

  /** A line: name, and per N the median with its min and max. */
  record Series(String name, List<double[]> points) {
    Series renamed(String n) {
      return new Series(n, points);
    }
  }

  /** One chart in a figure. {@code target} draws a dashed line; NaN for none. */
  record Panel(
      String title,
      String yUnit,
      List<Series> series,
      double target,
      String targetLabel,
      String xLabel,
      boolean logX) {
    Panel(String title, String yUnit, List<Series> series, double target, String targetLabel) {
      this(title, yUnit, series, target, targetLabel, "N (agents, log scale)", true);
    }
  }

  /**
   * The soak's chart: one panel per sampled figure over minutes, from a CSV with the header {@code
   * minute,heap_mb,fds,threads} (what {@code ChaosSoakIT} writes with {@code mschedule.soak.csv}).
   */
  static Path drawSoak(Path csv, Path file) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    String[] head = lines.get(0).split(",");
    List<Panel> panels = new ArrayList<>();
    for (int col = 1; col < head.length; col++) {
      List<double[]> pts = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        String[] v = line.split(",");
        double y = Double.parseDouble(v[col]);
        pts.add(new double[] {Double.parseDouble(v[0]), y, y, y});
      }
      panels.add(
          new Panel(
              "Master " + head[col] + " during the soak",
              head[col],
              List.of(new Series(head[col], pts)),
              Double.NaN,
              null,
              "minutes",
              false));
    }
    return draw(file, panels);
  }

  static List<Path> drawAll(List<Results.Row> rows, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    List<Panel> fan = new ArrayList<>();
    Series floor = series(rows, "fanout", "floor", "floor: /bin/sh -c", 1);
    Series ms = series(rows, "fanout", "mschedule", "mschedule", 1);
    if (!ms.points().isEmpty()) {
      fan.add(
          new Panel(
              "Fan-out, real processes: submit → last result",
              "ms",
              List.of(floor, ms),
              Double.NaN,
              null));
      fan.add(
          new Panel(
              "mschedule / floor",
              "×",
              List.of(series(rows, "fanout", "ratio", "ratio (median of rounds)", 1)),
              1.5,
              "target 1.5×"));
      written.add(draw(dir.resolve("perf-fanout.png"), fan));
    }
    List<Panel> scale = new ArrayList<>();
    Series reg = series(rows, "scale", "register", "all registered", 1e-3);
    if (!reg.points().isEmpty()) {
      scale.add(
          new Panel(
              "Time for all N to register",
              "s",
              List.of(reg, series(rows, "scale", "linked", "all order streams open", 1e-3)),
              30,
              "target 30 s"));
      scale.add(
          new Panel(
              "Master CPU, all N heartbeating (5 s)",
              "% of one core",
              List.of(series(rows, "scale", "idle_cpu", "idle CPU", 1)),
              25,
              "target 25 %"));
      scale.add(
          new Panel(
              "Master heap",
              "MB",
              List.of(
                  series(rows, "scale", "heap_live", "live after full GC", 1),
                  series(rows, "scale", "heap_committed", "committed", 1),
                  series(rows, "scale", "rss", "RSS (whole process)", 1)),
              1073.7,
              "target 1 GiB heap"));
      scale.add(
          new Panel(
              "No-op fan-out to all N: submit → last result",
              "ms",
              List.of(
                  series(rows, "scale", "fanout", "last result acknowledged", 1),
                  series(rows, "scale", "fanout_last_order", "last order received", 1)),
              3000,
              "target 3 s"));
      written.add(draw(dir.resolve("perf-scale.png"), scale));
    }
    Series fixed = series(rows, "scale_poller_fix", "register", "patched Poller", 1e-3);
    if (!fixed.points().isEmpty() && !reg.points().isEmpty()) {
      List<Panel> px = new ArrayList<>();
      px.add(
          new Panel(
              "Register all N: JeroMQ 0.6.0 vs. patched Poller",
              "s",
              List.of(reg.renamed("JeroMQ 0.6.0"), fixed),
              30,
              "target 30 s"));
      px.add(
          new Panel(
              "Idle master CPU",
              "% of one core",
              List.of(
                  series(rows, "scale", "idle_cpu", "JeroMQ 0.6.0", 1),
                  series(rows, "scale_poller_fix", "idle_cpu", "patched Poller", 1)),
              25,
              "target 25 %"));
      px.add(
          new Panel(
              "No-op fan-out to all N",
              "ms",
              List.of(
                  series(rows, "scale", "fanout", "JeroMQ 0.6.0", 1),
                  series(rows, "scale_poller_fix", "fanout", "patched Poller", 1)),
              3000,
              "target 3 s"));
      written.add(draw(dir.resolve("perf-poller.png"), px));
    }
    Series ansible = series(rows, "ansible", "ansible", "ansible -m shell (forks 5)", 1e-3);
    if (!ansible.points().isEmpty()) {
      List<Panel> an = new ArrayList<>();
      an.add(
          new Panel(
              "hostname on N local hosts",
              "s",
              List.of(ansible, series(rows, "ansible", "mschedule", "mschedule run", 1e-3)),
              Double.NaN,
              null));
      an.add(
          new Panel(
              "ansible / mschedule",
              "×",
              List.of(series(rows, "ansible", "speedup", "speed-up", 1)),
              75,
              "target 75×"));
      written.add(draw(dir.resolve("perf-ansible.png"), an));
    }
    return written;
  }

  static Series series(
      List<Results.Row> rows, String bench, String metric, String name, double scale) {
    List<double[]> pts = new ArrayList<>();
    rows.stream()
        .filter(r -> r.bench().equals(bench) && r.metric().equals(metric))
        .sorted((a, b) -> Integer.compare(a.n(), b.n()))
        .forEach(
            r ->
                pts.add(
                    new double[] {r.n(), r.median() * scale, r.min() * scale, r.max() * scale}));
    return new Series(name, pts);
  }

  static Path draw(Path file, List<Panel> panels) throws IOException {
    int cols = panels.size() == 1 ? 1 : 2;
    int rowsN = (panels.size() + cols - 1) / cols;
    int pw = 560;
    int ph = 360;
    BufferedImage img = new BufferedImage(pw * cols, ph * rowsN, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    for (int i = 0; i < panels.size(); i++) {
      panel(g, new Rectangle((i % cols) * pw, (i / cols) * ph, pw, ph), panels.get(i));
    }
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
    return file;
  }

  private static void panel(Graphics2D g, Rectangle box, Panel p) {
    Font title = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    int left = box.x + 70;
    int right = box.x + box.width - 20;
    int top = box.y + 40;
    int bottom = box.y + box.height - 75;
    g.setColor(Color.BLACK);
    g.setFont(title);
    g.drawString(p.title(), box.x + 15, box.y + 22);

    TreeSet<Double> xs = new TreeSet<>();
    double ymax = Double.isNaN(p.target()) ? 0 : p.target() * 1.15;
    for (Series s : p.series()) {
      for (double[] pt : s.points()) {
        xs.add(pt[0]);
        ymax = Math.max(ymax, pt[3]);
      }
    }
    if (xs.isEmpty()) {
      return;
    }
    ymax = niceCeil(ymax * 1.05);
    java.util.function.DoubleUnaryOperator scale = p.logX() ? Math::log10 : x -> x;
    double lx0 = scale.applyAsDouble(xs.first());
    double lx1 = scale.applyAsDouble(xs.last());
    if (lx1 - lx0 < 1e-9) {
      lx0 -= 0.5;
      lx1 += 0.5;
    }
    double pad = (lx1 - lx0) * 0.06;
    final double a0 = lx0 - pad;
    final double a1 = lx1 + pad;
    final double ym = ymax;
    java.util.function.DoubleUnaryOperator X =
        x -> left + (scale.applyAsDouble(x) - a0) / (a1 - a0) * (right - left);
    java.util.function.DoubleUnaryOperator Y = y -> bottom - y / ym * (bottom - top);

    // grid and axes
    g.setFont(small);
    FontMetrics fm = g.getFontMetrics();
    for (int i = 0; i <= 5; i++) {
      double v = ymax * i / 5;
      int y = (int) Y.applyAsDouble(v);
      g.setColor(new Color(0xeeeeee));
      g.drawLine(left, y, right, y);
      g.setColor(Color.DARK_GRAY);
      String lbl = fmt(v);
      g.drawString(lbl, left - 6 - fm.stringWidth(lbl), y + 4);
    }
    int step = Math.max(1, (xs.size() + 11) / 12);
    int xi = 0;
    for (double x : xs) {
      if (xi++ % step != 0) {
        continue;
      }
      int px = (int) X.applyAsDouble(x);
      g.setColor(new Color(0xeeeeee));
      g.drawLine(px, top, px, bottom);
      g.setColor(Color.DARK_GRAY);
      String lbl = String.format(Locale.ROOT, "%,d", (long) x);
      g.drawString(lbl, px - fm.stringWidth(lbl) / 2, bottom + 15);
    }
    g.setColor(Color.BLACK);
    g.drawLine(left, bottom, right, bottom);
    g.drawLine(left, top, left, bottom);
    g.drawString(p.xLabel(), (left + right) / 2 - fm.stringWidth(p.xLabel()) / 2, bottom + 31);
    Graphics2D gy = (Graphics2D) g.create();
    gy.rotate(-Math.PI / 2);
    gy.drawString(p.yUnit(), -(top + bottom) / 2 - fm.stringWidth(p.yUnit()) / 2, box.x + 16);
    gy.dispose();

    if (!Double.isNaN(p.target())) {
      int ty = (int) Y.applyAsDouble(p.target());
      g.setColor(TARGET);
      g.setStroke(
          new BasicStroke(
              1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
      g.drawLine(left, ty, right, ty);
      g.setStroke(new BasicStroke(1));
      g.drawString(p.targetLabel(), right - fm.stringWidth(p.targetLabel()) - 4, ty - 4);
    }

    // series
    List<int[]> labels = new ArrayList<>();
    int legendY = bottom + 48;
    int legendX = left;
    for (int si = 0; si < p.series().size(); si++) {
      Series s = p.series().get(si);
      Color c = COLORS[si % COLORS.length];
      g.setColor(c);
      g.setStroke(new BasicStroke(2f));
      int[] prev = null;
      for (double[] pt : s.points()) {
        int px = (int) X.applyAsDouble(pt[0]);
        int py = (int) Y.applyAsDouble(pt[1]);
        if (prev != null) {
          g.drawLine(prev[0], prev[1], px, py);
        }
        prev = new int[] {px, py};
      }
      g.setStroke(new BasicStroke(1.2f));
      for (double[] pt : s.points()) {
        int px = (int) X.applyAsDouble(pt[0]);
        int py = (int) Y.applyAsDouble(pt[1]);
        int ylo = (int) Y.applyAsDouble(pt[2]);
        int yhi = (int) Y.applyAsDouble(pt[3]);
        if (yhi < ylo - 1) {
          g.drawLine(px, ylo, px, yhi);
          g.drawLine(px - 4, ylo, px + 4, ylo);
          g.drawLine(px - 4, yhi, px + 4, yhi);
        }
        g.fillOval(px - 4, py - 4, 8, 8);
        boolean crowded =
            labels.stream().anyMatch(l -> Math.abs(l[0] - px) < 30 && Math.abs(l[1] - py) < 13);
        if (!crowded) {
          labels.add(new int[] {px, py});
          g.setColor(Color.BLACK);
          g.drawString(fmt(pt[1]), px + 6, py - 6);
          g.setColor(c);
        }
      }
      g.fillRect(legendX, legendY - 8, 14, 8);
      g.setColor(Color.BLACK);
      g.drawString(s.name(), legendX + 18, legendY);
      legendX += 26 + fm.stringWidth(s.name());
    }
    g.setStroke(new BasicStroke(1));
  }

  private static String fmt(double v) {
    if (v == 0) {
      return "0";
    }
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (Math.abs(v) >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static double niceCeil(double v) {
    if (v <= 0) {
      return 1;
    }
    double mag = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (m * mag >= v) {
        return m * mag;
      }
    }
    return 10 * mag;
  }
}
