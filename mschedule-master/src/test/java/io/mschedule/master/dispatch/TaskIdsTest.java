package io.mschedule.master.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskIdsTest {

  @Test
  void ids_are_32_hex_digits_led_by_the_millisecond_and_unique_within_it() {
    Instant at = Instant.ofEpochMilli(0x1234_5678_9ABCL);
    var ids = new HashSet<String>();
    for (int i = 0; i < 1000; i++) {
      String id = TaskIds.next(at);
      assertThat(id).matches("[0-9a-f]{32}").startsWith("789abc");
      ids.add(id);
    }
    assertThat(ids).hasSize(1000);
  }

  @Test
  void ids_of_later_milliseconds_sort_after_until_the_count_wraps() {
    List<String> ids = new ArrayList<>();
    long start = 1_796_000_000_000L;
    for (long ms = start; ms < start + 2000; ms += 7) {
      ids.add(TaskIds.next(Instant.ofEpochMilli(ms)));
    }
    assertThat(ids).isSorted();
    // 2^24 ms later the first six digits come round again
    assertThat(TaskIds.next(Instant.ofEpochMilli(start + (1L << 24))))
        .startsWith(ids.get(0).substring(0, 6));
  }
}
