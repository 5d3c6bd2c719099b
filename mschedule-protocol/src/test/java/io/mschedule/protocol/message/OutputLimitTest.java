package io.mschedule.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OutputLimitTest {
  @Test
  void output_within_the_limit_is_untouched() {
    byte[] out = "hello".getBytes(StandardCharsets.UTF_8);
    assertThat(OutputLimit.apply(out, 5)).isSameAs(out);
  }

  @Test
  void long_output_keeps_head_and_tail_around_a_marker() {
    byte[] out = new byte[5 * 1024 * 1024];
    Arrays.fill(out, (byte) 'a');
    out[0] = 'H';
    out[out.length - 1] = 'T';
    int limit = 1024 * 1024;

    byte[] cut = OutputLimit.apply(out, limit);

    String text = new String(cut, StandardCharsets.US_ASCII);
    assertThat(cut.length).isLessThan(limit + 100);
    assertThat(text).startsWith("H").endsWith("T");
    assertThat(text).contains("[mschedule: " + (out.length - limit) + " bytes of output omitted]");
  }
}
