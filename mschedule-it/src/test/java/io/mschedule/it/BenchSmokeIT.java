package io.mschedule.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.bench.BenchMain;
import io.mschedule.bench.FanOutBench;
import io.mschedule.bench.LatencyBench;
import io.mschedule.bench.Results;
import io.mschedule.bench.ScaleBench;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the benchmark tool (mschedule-bench) once at a tiny size so it cannot rot: fan-out with five
 * real agents, latency with one, and the simulated-agent scale run with five agents. Only
 * completion and sane numbers are checked, never timings. It is an integration test (real master
 * and agent processes), so it runs beside the others rather than before them.
 */
class BenchSmokeIT {
  @TempDir Path dir;

  @org.junit.jupiter.api.BeforeAll
  static void quiet() {
    BenchMain.quietLogs();
  }

  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

  @Test
  @Timeout(180)
  void fanOutWithFiveRealAgents() throws Exception {
    Results results = new Results(dir.resolve("out"));
    var opts =
        new FanOutBench.Options(
            List.of(5),
            2,
            0,
            "hostname",
            dir.resolve("work"),
            List.of("-Xmx256m"),
            null,
            Duration.ofMinutes(1),
            3);
    List<FanOutBench.SizeResult> r = new FanOutBench(opts, results, out).run();

    assertThat(r).hasSize(1);
    FanOutBench.SizeResult s = r.get(0);
    assertThat(s.n()).isEqualTo(5);
    assertThat(s.runsChecked()).isEqualTo(10);
    assertThat(s.floorMs().median()).isPositive();
    assertThat(s.mscheduleMs().median()).isPositive();
    assertThat(s.ratio().count()).isEqualTo(2);
    assertThat(s.masterSpanMs().median()).isGreaterThanOrEqualTo(0);
    assertThat(Results.read(results.file()))
        .extracting(Results.Row::metric)
        .contains("floor", "mschedule", "ratio");
    System.out.print(log.toString(StandardCharsets.UTF_8));
  }

  @Test
  @Timeout(180)
  void latencyWithOneAgentProcess() throws Exception {
    Results results = new Results(dir.resolve("out"));
    var opts =
        new LatencyBench.Options(
            List.of(1),
            3,
            0,
            dir.resolve("work"),
            List.of("-Xmx256m"),
            LatencyBench.AGENT_JVM,
            null,
            Duration.ofMinutes(1));
    List<LatencyBench.SizeResult> r = new LatencyBench(opts, results, out).run();

    assertThat(r).hasSize(1);
    LatencyBench.SizeResult s = r.get(0);
    assertThat(s.n()).isEqualTo(1);
    assertThat(s.tasks()).isEqualTo(3);
    assertThat(s.p50()).isPositive();
    assertThat(s.p90()).isGreaterThanOrEqualTo(s.p50());
    assertThat(s.floorP50()).isPositive();
    assertThat(s.floorP90()).isGreaterThanOrEqualTo(s.floorP50());
    assertThat(Results.read(results.file()))
        .extracting(Results.Row::metric)
        .contains("mschedule_p50", "mschedule_p90", "floor_p50", "floor_p90");
    System.out.print(log.toString(StandardCharsets.UTF_8));
  }

  @Test
  @Timeout(240)
  void scaleWithFiveSimulatedAgents() throws Exception {
    Results results = new Results(dir.resolve("out"));
    var opts =
        new ScaleBench.Options(
            List.of(5),
            Duration.ofMillis(500),
            Duration.ofSeconds(2),
            2,
            5,
            10,
            2,
            5,
            2,
            Duration.ofSeconds(2),
            Duration.ofMillis(500),
            Duration.ZERO,
            16,
            256,
            dir.resolve("work"),
            List.of("-Xmx256m"),
            null,
            false,
            Duration.ofMinutes(1),
            1,
            null,
            null);
    ScaleBench.Report report = new ScaleBench(opts, results, out).run();

    assertThat(report.sizes()).hasSize(1);
    ScaleBench.SizeResult s = report.sizes().get(0);
    assertThat(s.n()).isEqualTo(5);
    assertThat(s.registerMs()).isPositive();
    assertThat(s.linkedMs()).isGreaterThanOrEqualTo(s.registerMs());
    assertThat(s.idleCpuPercent()).isBetween(0.0, 200.0);
    assertThat(s.heap().used()).isPositive();
    assertThat(s.heap().committed()).isGreaterThanOrEqualTo(s.heap().used());
    assertThat(s.rssBytes()).isPositive();
    assertThat(s.fanoutMs().count()).isEqualTo(2);
    assertThat(s.fanoutMs().median()).isPositive();
    assertThat(s.errors()).isZero();
    assertThat(report.latency()).isNotNull();
    assertThat(report.latency().samples()).isEqualTo(10);
    assertThat(report.latency().p50()).isPositive();
    assertThat(report.latency().p99()).isGreaterThanOrEqualTo(report.latency().p50());
    assertThat(report.throughput()).isNotNull();
    assertThat(report.throughput().tasks()).isPositive();
    System.out.print(log.toString(StandardCharsets.UTF_8));
  }
}
