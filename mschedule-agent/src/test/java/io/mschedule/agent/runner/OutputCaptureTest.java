package io.mschedule.agent.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.protocol.message.StdStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutputCaptureTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void append(OutputCapture capture, byte[] data, int pieceSize) {
    for (int i = 0; i < data.length; i += pieceSize) {
      capture.append(data, i, Math.min(pieceSize, data.length - i));
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] data = new byte[n];
    new Random(42).nextBytes(data);
    return data;
  }

  @Test
  void the_stream_of_every_kept_byte_is_kept_and_the_marker_counts_as_stdout() {
    var capture = new OutputCapture(10, 4);
    capture.append(StdStream.STDERR, bytes("EE"), 0, 2);
    capture.append(StdStream.STDOUT, bytes("oooo"), 0, 4);
    capture.append(StdStream.STDERR, bytes("EEEEEE"), 0, 6); // the head (6 bytes) is full
    capture.append(StdStream.STDOUT, bytes("oo"), 0, 2);
    // kept: head "EEoooo", marker (4 omitted), tail "EEoo"
    assertThat(capture.kept()).asString().startsWith("EEoooo\n").endsWith("]\nEEoo");
    int marker = OutputCapture.marker(4).length;
    assertThat(capture.keptStreams().runs()).containsExactly(0, 2, 4 + marker, 2, 2);
    assertThat(capture.keptStreams().select(capture.kept(), StdStream.STDERR))
        .asString()
        .isEqualTo("EEEE");
  }

  @Test
  void the_tail_ring_keeps_streams_across_its_wrap() {
    var capture = new OutputCapture(4, 4);
    capture.append(StdStream.STDOUT, bytes("abc"), 0, 3);
    capture.append(StdStream.STDERR, bytes("DE"), 0, 2);
    capture.append(StdStream.STDOUT, bytes("f"), 0, 1);
    assertThat(capture.kept()).asString().endsWith("cDEf");
    assertThat(capture.keptStreams().select(capture.kept(), StdStream.STDERR))
        .asString()
        .isEqualTo("DE");
  }

  @Test
  void output_within_the_limit_is_kept_as_it_is() {
    var capture = new OutputCapture(10, 4);
    capture.append(bytes("hello"), 0, 5);
    capture.append(bytes("world"), 0, 5);
    assertThat(capture.kept()).asString().isEqualTo("helloworld");
    assertThat(capture.truncated()).isFalse();
    assertThat(capture.totalBytes()).isEqualTo(10);
  }

  @Test
  void output_over_the_limit_keeps_head_marker_and_tail() {
    var capture = new OutputCapture(10, 4);
    append(capture, bytes("abcdefghijklmnopqrstuvwxyz"), 3);
    assertThat(capture.truncated()).isTrue();
    assertThat(capture.totalBytes()).isEqualTo(26);
    assertThat(capture.kept())
        .asString()
        .isEqualTo("abcdef\n[mschedule: 16 bytes of output omitted]\nwxyz");
  }

  @Test
  void head_and_tail_are_exact_whatever_the_sizes_of_the_writes() {
    byte[] data = randomBytes(300_000);
    for (int piece : new int[] {1, 7, 4096, 65_536, 300_000}) {
      var capture = new OutputCapture(100_000, 30_000);
      append(capture, data, piece);
      byte[] kept = capture.kept();
      byte[] marker = OutputCapture.marker(200_000);
      assertThat(kept).hasSize(100_000 + marker.length);
      assertThat(Arrays.copyOfRange(kept, 0, 70_000)).isEqualTo(Arrays.copyOf(data, 70_000));
      assertThat(Arrays.copyOfRange(kept, 70_000, 70_000 + marker.length)).isEqualTo(marker);
      assertThat(Arrays.copyOfRange(kept, kept.length - 30_000, kept.length))
          .isEqualTo(Arrays.copyOfRange(data, 270_000, 300_000));
    }
  }

  @Test
  void without_a_tail_only_the_head_and_the_marker_are_kept() {
    var capture = new OutputCapture(4, 0);
    append(capture, bytes("abcdefgh"), 5);
    assertThat(capture.kept())
        .asString()
        .isEqualTo("abcd\n[mschedule: 4 bytes of output omitted]\n");
  }

  @Test
  void with_a_zero_limit_only_the_marker_is_kept() {
    var capture = new OutputCapture(0, 0);
    capture.append(bytes("abc"), 0, 3);
    assertThat(capture.kept()).asString().isEqualTo("\n[mschedule: 3 bytes of output omitted]\n");
    assertThat(capture.truncated()).isTrue();
  }

  @Test
  void nothing_is_kept_after_sealing() {
    var capture = new OutputCapture(10, 4);
    capture.append(bytes("abc"), 0, 3);
    capture.seal();
    capture.append(bytes("def"), 0, 3);
    assertThat(capture.kept()).asString().isEqualTo("abc");
    assertThat(capture.totalBytes()).isEqualTo(3);
  }
}
