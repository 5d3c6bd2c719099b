package io.mschedule.master.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.master.store.AuditEntry;
import io.mschedule.master.store.AuditQuery;
import io.mschedule.master.store.AuditStore;
import io.mschedule.master.store.jdbc.Database;
import io.mschedule.master.store.jdbc.SecurityTables;
import io.mschedule.master.store.jdbc.TestDatabase;
import io.mschedule.protocol.test.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log's group commit: each entry stored before its record call returns, none lost. */
class DbAuditLogTest {
  @TempDir Path dir;
  private Database db;

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void entriesRecordedAtOnceByManyThreadsAreAllStoredEachBeforeItsCallReturns() throws Exception {
    db = Database.open(TestDatabase.migratedH2(dir, 4));
    DbAuditLog audit =
        new DbAuditLog(
            SecurityTables.audit(db), new TestClock(Instant.parse("2026-06-01T09:00:00Z")));
    int threads = 8;
    int each = 50;
    CountDownLatch go = new CountDownLatch(1);
    ConcurrentLinkedQueue<String> missing = new ConcurrentLinkedQueue<>();
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread th =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < each; i++) {
                  String target = "t" + thread + "-" + i;
                  audit.record("admin", "task.submit", target, null);
                  // stored by the time record returns, whichever thread wrote it
                  if (audit.find(AuditQuery.recent(threads * each)).stream()
                      .noneMatch(e -> e.target().equals(target))) {
                    missing.add(target);
                  }
                }
              });
      th.start();
      all.add(th);
    }
    go.countDown();
    for (Thread th : all) {
      th.join();
    }
    assertThat(missing).isEmpty();
    assertThat(audit.recent(1000)).hasSize(threads * each);
  }

  @Test
  void aFailedWriteIsLoggedAndTheCallReturns() {
    AuditStore broken =
        new AuditStore() {
          @Override
          public void appendAll(List<AuditEntry> entries) {
            throw new IllegalStateException("disk full");
          }

          @Override
          public List<AuditEntry> find(AuditQuery query) {
            return List.of();
          }

          @Override
          public int purgeBefore(Instant cutoff, int batch) {
            return 0;
          }
        };
    DbAuditLog audit = new DbAuditLog(broken, new TestClock(Instant.EPOCH));
    audit.record("admin", "task.kill", "t1", null); // returns: the failure does not undo the kill
    audit.record("admin", "task.kill", "t2", null); // and the next entry is tried again
    assertThat(audit.recent(10)).isEmpty();
  }
}
