package io.mschedule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputCursorTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void a_snapshot_then_overlapping_chunks_then_the_stored_output_show_every_byte_once() {
    OutputCursor c = new OutputCursor();
    assertThat(c.takeAll(0, utf8("one\ntwo\n"), null))
        .containsExactly(new OutputCursor.Piece("one\ntwo\n", false));
    // a chunk already in the snapshot, then one that overlaps it
    assertThat(c.take(4, utf8("two\n"), false)).isEmpty();
    assertThat(c.take(4, utf8("two\nthree\n"), false))
        .containsExactly(new OutputCursor.Piece("three\n", false));
    assertThat(c.take(14, utf8("oops\n"), true))
        .containsExactly(new OutputCursor.Piece("oops\n", true));
    // the stored output of the ended run: only what is beyond, with its stream
    assertThat(c.takeAll(0, utf8("one\ntwo\nthree\noops\nfour\n"), List.of(14, 5, 5)))
        .containsExactly(new OutputCursor.Piece("four\n", false));
    assertThat(c.end()).isEqualTo(24);
  }

  @Test
  void a_character_cut_between_chunks_is_shown_whole() {
    OutputCursor c = new OutputCursor();
    byte[] cafe = utf8("café\n"); // é is two bytes
    assertThat(c.take(0, java.util.Arrays.copyOfRange(cafe, 0, 4), false))
        .containsExactly(new OutputCursor.Piece("caf", false));
    assertThat(c.take(4, java.util.Arrays.copyOfRange(cafe, 4, cafe.length), false))
        .containsExactly(new OutputCursor.Piece("é\n", false));
    assertThat(c.flush()).isEmpty();
  }

  @Test
  void bytes_that_are_not_utf8_show_a_replacement_character() {
    OutputCursor c = new OutputCursor();
    byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9, '\n'};
    assertThat(c.take(0, latin1, false))
        .containsExactly(new OutputCursor.Piece("caf\uFFFD\n", false));
  }

  @Test
  void a_cut_sequence_at_the_very_end_is_flushed() {
    OutputCursor c = new OutputCursor();
    assertThat(c.take(0, new byte[] {'x', (byte) 0xe2, (byte) 0x82}, false))
        .containsExactly(new OutputCursor.Piece("x", false));
    assertThat(c.flush()).containsExactly(new OutputCursor.Piece("\uFFFD", false));
  }
}
