package io.mschedule.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputStreamsTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }

  @Test
  void selects_each_streams_bytes_in_order() {
    byte[] out = bytes("out1err1out2err2");
    OutputStreams s = OutputStreams.of(4, 4, 4, 4);
    assertThat(text(s.select(out, StdStream.STDOUT))).isEqualTo("out1out2");
    assertThat(text(s.select(out, StdStream.STDERR))).isEqualTo("err1err2");
    assertThat(s.segments(out))
        .extracting(OutputStreams.Segment::stream)
        .containsExactly(StdStream.STDOUT, StdStream.STDERR, StdStream.STDOUT, StdStream.STDERR);
  }

  @Test
  void output_that_starts_on_stderr_has_an_empty_first_run() {
    OutputStreams.Builder b = new OutputStreams.Builder();
    b.add(StdStream.STDERR, 3).add(StdStream.STDERR, 2).add(StdStream.STDOUT, 1);
    assertThat(b.build().runs()).containsExactly(0, 5, 1);
  }

  @Test
  void all_stdout_is_the_empty_list() {
    assertThat(new OutputStreams.Builder().add(StdStream.STDOUT, 9).build())
        .isEqualTo(OutputStreams.ALL_STDOUT);
    assertThat(OutputStreams.of(9).allStdout()).isTrue();
    assertThat(OutputStreams.ALL_STDOUT.select(bytes("abc"), StdStream.STDERR)).isEmpty();
  }

  @Test
  void runs_must_cover_the_output() {
    assertThatThrownBy(() -> OutputStreams.of(1, 2).check(4))
        .hasMessageContaining("cover 3 bytes but the output has 4");
    assertThatThrownBy(() -> OutputStreams.of(1, -2)).hasMessageContaining("negative");
  }

  @Test
  void a_cut_keeps_the_streams_of_head_and_tail_and_counts_the_marker_as_stdout() {
    // 100 bytes of stdout, then 100 of stderr, cut to 60: head from stdout, tail from stderr
    byte[] out = new byte[200];
    java.util.Arrays.fill(out, 0, 100, (byte) 'o');
    java.util.Arrays.fill(out, 100, 200, (byte) 'e');
    OutputLimit.Limited cut = OutputLimit.apply(out, OutputStreams.of(100, 100), 60);

    String marker = OutputLimit.marker(140);
    assertThat(text(cut.output())).isEqualTo("o".repeat(45) + marker + "e".repeat(15));
    assertThat(cut.streams().runs()).containsExactly(45 + marker.length(), 15);
    assertThat(text(cut.streams().select(cut.output(), StdStream.STDERR)))
        .isEqualTo("e".repeat(15));
  }

  @Test
  void a_cut_inside_one_stderr_run_splits_it_around_the_marker() {
    byte[] out = new byte[300];
    java.util.Arrays.fill(out, (byte) 'e');
    OutputLimit.Limited cut = OutputLimit.apply(out, OutputStreams.of(0, 300), 100);
    String marker = OutputLimit.marker(200);
    assertThat(cut.streams().runs()).containsExactly(0, 75, marker.length(), 25);
    assertThat(cut.output()).hasSize(100 + marker.length());
  }
}
