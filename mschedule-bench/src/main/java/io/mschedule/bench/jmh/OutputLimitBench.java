package io.mschedule.bench.jmh;

import io.mschedule.protocol.message.OutputLimit;
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

/** The master's output truncation ({@link OutputLimit#apply}) at its default 1 MiB limit. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OutputLimitBench {
  @Param({"16", "1048576", "4194304"})
  public int outputBytes;

  private byte[] output;

  @Setup
  public void setup() {
    output = new byte[outputBytes];
    Arrays.fill(output, (byte) 'x');
  }

  @Benchmark
  public byte[] masterApply() {
    return OutputLimit.apply(output, 1024 * 1024);
  }
}
