package io.mschedule.agent.runner;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The agent's bounded output capture ({@code OutputCapture}, package-private, hence this package):
 * a script printing {@code totalBytes} in 8 KiB reads, kept to the default 1 MiB (head + 64 KiB
 * tail).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OutputCaptureBench {
  @Param({"16", "1048576", "16777216"})
  public int totalBytes;

  private final byte[] chunk = new byte[8192];

  @Setup
  public void setup() {
    Arrays.fill(chunk, (byte) 'x');
  }

  @Benchmark
  public byte[] agentCapture() {
    OutputCapture c = new OutputCapture(1024 * 1024, 64 * 1024);
    int left = totalBytes;
    while (left > 0) {
      int n = Math.min(left, chunk.length);
      c.append(chunk, 0, n);
      left -= n;
    }
    c.seal();
    return c.kept();
  }
}
