package io.mschedule.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's plots, drawn from a summary (the benchmarks themselves: BenchSmokeIT). */
class PlotsTest {
  @TempDir Path dir;

  @Test
  void plotsDrawFromTheSummary() throws Exception {
    Results results = new Results(dir.resolve("out"));
    for (int n : new int[] {10, 100, 1000}) {
      results.add("fanout", n, "floor", "ms", new Stats(n * 0.5, n * 0.4, n * 0.6, 5));
      results.add("fanout", n, "mschedule", "ms", new Stats(n * 0.6, n * 0.5, n * 0.7, 5));
      results.add("fanout", n, "ratio", "x", new Stats(1.2, 1.1, 1.3, 5));
      results.add("scale", n, "register", "ms", new Stats(n, n, n, 1));
      results.add("scale", n, "idle_cpu", "%core", new Stats(1, 1, 1, 1));
      results.add("scale", n, "heap_live", "MB", new Stats(n / 10.0, n / 10.0, n / 10.0, 1));
      results.add("scale", n, "fanout", "ms", new Stats(n / 5.0, n / 6.0, n / 4.0, 5));
    }
    List<Path> files = Plots.drawAll(Results.read(results.file()), dir.resolve("png"));
    assertThat(files).hasSize(2);
    assertThat(files).allSatisfy(f -> assertThat(f.toFile().length()).isGreaterThan(1000));
  }
}
