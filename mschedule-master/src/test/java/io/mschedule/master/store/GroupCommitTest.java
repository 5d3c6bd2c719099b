package io.mschedule.master.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

  @Test
  void a_failed_batch_is_written_again_one_item_at_a_time_and_only_the_bad_item_fails() {
    List<List<String>> writes = new ArrayList<>();
    List<String> written = new ArrayList<>();
    Map<String, String> failed = new LinkedHashMap<>();

    GroupCommit.writeOrSplit(
        List.of("a", "bad", "c"),
        batch -> {
          writes.add(batch);
          if (batch.contains("bad")) {
            throw new IllegalStateException("refused");
          }
          written.addAll(batch);
        },
        (item, e) -> failed.put(item, e.getMessage()));

    assertThat(writes)
        .containsExactly(List.of("a", "bad", "c"), List.of("a"), List.of("bad"), List.of("c"));
    assertThat(written).containsExactly("a", "c");
    assertThat(failed).containsExactly(Map.entry("bad", "refused"));
  }

  @Test
  void a_batch_that_is_written_is_written_once() {
    List<List<String>> writes = new ArrayList<>();

    GroupCommit.writeOrSplit(
        List.of("a", "b"), writes::add, (item, e) -> writes.add(List.of("failed " + item)));

    assertThat(writes).containsExactly(List.of("a", "b"));
  }
}
