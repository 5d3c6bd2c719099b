package io.mschedule.agent.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OutputChunkerTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void a_full_chunk_goes_out_at_once_and_the_rest_waits_for_the_interval() {
    var listener = new RecordingListener();
    var chunker = new OutputChunker("t", listener, 4, TimeUnit.HOURS.toNanos(1));
    chunker.append(bytes("abcdefghij"), 0, 10);
    assertThat(listener.chunks()).isEqualTo(2);
    assertThat(listener.chunkBytes()).asString().isEqualTo("abcdefgh");
    chunker.flushIfDue();
    assertThat(listener.chunks()).isEqualTo(2);
    chunker.close();
    assertThat(listener.chunkBytes()).asString().isEqualTo("abcdefghij");
    assertThat(listener.chunks()).isEqualTo(3);
    assertThat(listener.violations()).isEmpty();
  }

  @Test
  void pending_output_goes_out_once_the_interval_has_passed() {
    var listener = new RecordingListener();
    var chunker = new OutputChunker("t", listener, 1024, 0);
    chunker.append(bytes("ab"), 0, 2);
    chunker.append(bytes("cd"), 0, 2);
    assertThat(listener.chunks()).isEqualTo(2);
    assertThat(listener.chunkBytes()).asString().isEqualTo("abcd");
  }

  @Test
  void flush_sends_what_has_waited_long_enough() {
    var listener = new RecordingListener();
    var chunker = new OutputChunker("t", listener, 1024, TimeUnit.MILLISECONDS.toNanos(1));
    chunker.append(bytes("ab"), 0, 2);
    long start = System.nanoTime();
    while (listener.chunks() == 0 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
      chunker.flushIfDue();
    }
    assertThat(listener.chunkBytes()).asString().isEqualTo("ab");
  }

  @Test
  void nothing_goes_out_after_close_and_a_failing_listener_does_not_stop_the_numbering() {
    var seen = new java.util.ArrayList<Long>();
    RunListener failing =
        new RunListener() {
          @Override
          public void onOutput(String taskId, long seq, byte[] chunk) {
            seen.add(seq);
            throw new IllegalStateException("boom");
          }

          @Override
          public void onResult(RunResult result) {}
        };
    var chunker = new OutputChunker("t", failing, 2, 0);
    chunker.append(bytes("abcdef"), 0, 6);
    chunker.close();
    chunker.append(bytes("gh"), 0, 2);
    assertThat(seen).containsExactly(0L, 1L, 2L);
  }
}
