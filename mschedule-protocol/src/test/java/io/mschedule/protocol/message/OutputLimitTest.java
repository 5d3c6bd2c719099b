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

  private static final int MIB = 1024 * 1024;

  /**
   * What the agent sends for 5,000,000 bytes of output at its default limit: head, marker, tail.
   */
  private static byte[] agentCut(long total, int limit) {
    int tail = 64 * 1024;
    byte[] mark = OutputLimit.marker(total - limit).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[limit + mark.length];
    Arrays.fill(out, (byte) 'a');
    System.arraycopy(mark, 0, out, limit - tail, mark.length);
    return out;
  }

  private static String markerCounts(byte[] out) {
    String text = new String(out, StandardCharsets.US_ASCII);
    StringBuilder counts = new StringBuilder();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\[mschedule: (\\d+) bytes of output omitted\\]")
            .matcher(text);
    while (m.find()) {
      counts.append(counts.length() == 0 ? "" : ",").append(m.group(1));
    }
    return counts.toString();
  }

  @Test
  void cutting_the_agents_cut_output_again_keeps_one_marker_with_the_true_count() {
    byte[] fromAgent = agentCut(5_000_000, MIB);

    byte[] cut = OutputLimit.apply(fromAgent, MIB);

    assertThat(markerCounts(cut)).isEqualTo(Long.toString(5_000_000L - MIB));
    assertThat(cut).hasSize(fromAgent.length);
  }

  @Test
  void a_smaller_second_limit_adds_the_newly_cut_bytes_to_the_first_count() {
    byte[] fromAgent = agentCut(5_000_000, MIB);
    int limit = 256 * 1024;

    byte[] cut = OutputLimit.apply(fromAgent, limit);

    // The agent kept MIB bytes of output; of those, the second cut keeps limit bytes.
    assertThat(markerCounts(cut)).isEqualTo(Long.toString(5_000_000L - limit));
    String text = new String(cut, StandardCharsets.US_ASCII);
    assertThat(text.replace(OutputLimit.marker(5_000_000L - limit), ""))
        .matches("a{" + limit + "}");
  }

  @Test
  void a_marker_split_by_the_cut_is_taken_out_whole() {
    byte[] fromAgent = agentCut(3_000_000, MIB);
    // Put the head boundary of the second cut in the middle of the first marker.
    int markerAt = MIB - 64 * 1024;
    int limit = markerAt + 10 + 64 * 1024; // the second cut starts 10 bytes into the marker

    byte[] cut = OutputLimit.apply(fromAgent, limit);

    long kept =
        cut.length
            - OutputLimit.marker(Long.parseLong(markerCounts(cut)))
                .getBytes(StandardCharsets.US_ASCII)
                .length;
    assertThat(markerCounts(cut)).doesNotContain(",");
    assertThat(new String(cut, StandardCharsets.US_ASCII)).doesNotContain("[msch\n");
    assertThat(Long.parseLong(markerCounts(cut)) + kept).isEqualTo(3_000_000L);
  }
}
