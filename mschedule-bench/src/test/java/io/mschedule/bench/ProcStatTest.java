package io.mschedule.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import org.junit.jupiter.api.Test;

class ProcStatTest {

  @Test
  void the_cpu_of_threads_is_summed_by_the_start_of_their_name() throws InterruptedException {
    long self = ProcessHandle.current().pid();
    long[] spun = new long[1];
    Thread burner =
        new Thread(
            () -> {
              // busy until the thread itself has used 300 ms of CPU
              var bean = java.lang.management.ManagementFactory.getThreadMXBean();
              long x = 0;
              while (bean.getCurrentThreadCpuTime() < 300_000_000L) {
                x += System.nanoTime() % 7;
              }
              spun[0] = x;
            },
            "burner-1");
    burner.start();
    while (burner.isAlive()) {
      long seen = ProcStat.threadCpuNanos(self, "burner");
      if (seen >= 150_000_000L) {
        assertThat(ProcStat.threadCpuNanos(self, "no such thread")).isZero();
        assertThat(seen).isLessThanOrEqualTo(ProcStat.cpuNanos(self));
        burner.join();
        return;
      }
      Thread.onSpinWait();
    }
    fail("the burner's CPU (" + spun[0] + ") was never read at 150 ms while it ran");
  }
}
