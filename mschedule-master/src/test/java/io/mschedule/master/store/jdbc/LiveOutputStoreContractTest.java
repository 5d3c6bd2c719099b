package io.mschedule.master.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.store.LiveOutputChunk;
import io.mschedule.master.store.LiveOutputStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Live output shared by masters: written in order, read by task past a cursor, kept briefly. */
abstract class LiveOutputStoreContractTest extends StoreContractSupport {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private LiveOutputStore live;

  @BeforeEach
  void store() {
    live = db.liveOutputStore();
  }

  private static LiveOutputChunk chunk(String task, long seq, String text, String master) {
    return new LiveOutputChunk(
        0, task, "a1", seq, seq * 10, seq % 2 == 1, text.getBytes(StandardCharsets.UTF_8), master);
  }

  private static List<String> described(List<LiveOutputChunk> read) {
    return read.stream()
        .map(
            c ->
                c.taskId()
                    + " "
                    + c.agentId()
                    + " #"
                    + c.seq()
                    + " @"
                    + c.offset()
                    + (c.stderr() ? " err " : " out ")
                    + new String(c.data(), StandardCharsets.UTF_8)
                    + " from "
                    + c.masterId())
        .toList();
  }

  @Test
  void chunks_of_other_masters_are_read_by_task_in_the_order_written() {
    live.write(
        List.of(
            chunk("t1", 0, "a", "m1"),
            chunk("t2", 0, "b", "m1"),
            chunk("t1", 1, "c", "m2"),
            chunk("t3", 0, "d", "m2")));
    live.write(List.of(chunk("t1", 2, "e", "m1")));

    assertThat(described(live.read(Set.of("t1", "t3"), 0, "m2", 100)))
        .containsExactly("t1 a1 #0 @0 out a from m1", "t1 a1 #2 @20 out e from m1");
    assertThat(described(live.read(Set.of("t1", "t3"), 0, "m3", 100)))
        .containsExactly(
            "t1 a1 #0 @0 out a from m1",
            "t1 a1 #1 @10 err c from m2",
            "t3 a1 #0 @0 out d from m2",
            "t1 a1 #2 @20 out e from m1");
    assertThat(live.read(Set.of(), 0, "m3", 100)).isEmpty();
  }

  @Test
  void a_cursor_and_a_limit_page_through_the_chunks() {
    live.write(
        List.of(chunk("t1", 0, "a", "m1"), chunk("t1", 1, "b", "m1"), chunk("t1", 2, "c", "m1")));

    List<LiveOutputChunk> first = live.read(Set.of("t1"), 0, "m2", 2);
    assertThat(described(first)).hasSize(2);
    assertThat(first.get(0).id()).isLessThan(first.get(1).id());
    List<LiveOutputChunk> rest = live.read(Set.of("t1"), first.get(1).id(), "m2", 2);
    assertThat(described(rest)).containsExactly("t1 a1 #2 @20 out c from m1");
    assertThat(live.read(Set.of("t1"), rest.get(0).id(), "m2", 2)).isEmpty();
  }

  @Test
  void old_chunks_are_purged() throws Exception {
    live.write(List.of(chunk("t1", 0, "old", "m1"), chunk("t1", 1, "new", "m1")));
    assertThat(live.purge(MINUTE)).isZero();
    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE live_output SET created_at = 0 WHERE seq = 0");
    }

    assertThat(live.purge(MINUTE)).isEqualTo(1);
    assertThat(described(live.read(Set.of("t1"), 0, "m2", 100)))
        .containsExactly("t1 a1 #1 @10 err new from m1");
  }
}
