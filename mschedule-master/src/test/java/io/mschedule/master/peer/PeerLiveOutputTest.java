package io.mschedule.master.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.live.TaskEvents;
import io.mschedule.master.store.jdbc.Database;
import io.mschedule.master.store.jdbc.TestDatabase;
import io.mschedule.protocol.test.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue of live output waiting for the database is bounded; a chunk past it is dropped. */
class PeerLiveOutputTest {
  @TempDir Path dir;
  Database db;

  @BeforeEach
  void up() {
    db = Database.open(TestDatabase.migratedH2(dir, 2));
  }

  @AfterEach
  void down() {
    db.close();
  }

  @Test
  void chunks_past_the_bound_are_dropped_and_counted_and_the_rest_written() {
    PeerOutput output =
        new PeerOutput(
            db.liveOutputStore(),
            db.taskStore(),
            new TaskEvents(),
            "m-b",
            new TestClock(Instant.now()));
    byte[] mib = new byte[1 << 20];
    for (int seq = 0; seq < 5; seq++) {
      output.queue("t1", "a1", seq, (long) seq << 20, false, mib);
    }
    assertThat(output.dropped()).isEqualTo(1);

    assertThat(output.pass()).isFalse();
    assertThat(db.liveOutputStore().read(Set.of("t1"), 0, "m-a", 100)).hasSize(4);
    output.queue("t1", "a1", 5, 5L << 20, false, mib);
    assertThat(output.dropped()).as("room again once written").isEqualTo(1);
  }
}
