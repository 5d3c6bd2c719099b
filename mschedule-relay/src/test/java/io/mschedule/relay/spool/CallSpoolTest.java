package io.mschedule.relay.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallSpoolTest {
  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void calls_come_back_oldest_first_and_leave_when_removed() {
    CallSpool spool = new CallSpool(dir, 1 << 20);
    assertThat(spool.offer(bytes("one"))).isTrue();
    assertThat(spool.offer(bytes("two"))).isTrue();
    assertThat(spool.bytes()).isEqualTo(6);
    var entries = spool.oldest(10);
    assertThat(entries).hasSize(2);
    assertThat(new String(entries.get(0).read(), StandardCharsets.UTF_8)).isEqualTo("one");
    spool.remove(entries.get(0));
    assertThat(spool.bytes()).isEqualTo(3);
    assertThat(spool.oldest(10))
        .extracting(e -> new String(e.read(), StandardCharsets.UTF_8))
        .containsExactly("two");
  }

  @Test
  void a_call_past_the_bound_is_refused_and_nothing_of_it_is_kept() {
    CallSpool spool = new CallSpool(dir, 10);
    assertThat(spool.offer(bytes("12345678"))).isTrue();
    assertThat(spool.offer(bytes("abc"))).isFalse();
    assertThat(spool.bytes()).isEqualTo(8);
    assertThat(spool.oldest(10)).hasSize(1);
    spool.remove(spool.oldest(1).get(0));
    assertThat(spool.offer(bytes("abc"))).isTrue();
  }

  @Test
  void a_restarted_relay_finds_its_calls_counts_their_bytes_and_drops_unfinished_writes()
      throws Exception {
    CallSpool first = new CallSpool(dir, 1 << 20);
    first.offer(bytes("kept"));
    Files.write(dir.resolve(".tmp-00000000000000000009.call"), bytes("half"));

    CallSpool again = new CallSpool(dir, 1 << 20);
    assertThat(again.bytes()).isEqualTo(4);
    assertThat(again.offer(bytes("next"))).isTrue();
    assertThat(again.oldest(10))
        .extracting(e -> new String(e.read(), StandardCharsets.UTF_8))
        .containsExactly("kept", "next");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-"));
    }
  }
}
