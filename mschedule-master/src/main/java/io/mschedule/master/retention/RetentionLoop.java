package io.mschedule.master.retention;

import io.mschedule.master.loop.PeriodicLoop;
import io.mschedule.master.store.AuditStore;
import io.mschedule.master.store.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what is older than the retention period ({@code retention-days}), every hour: ended tasks
 * with their runs and output (by the time they finished), and audit entries. Each batch is its own
 * short transaction, so dispatch, which only touches unfinished tasks, is never held up.
 */
public final class RetentionLoop extends PeriodicLoop {
  private static final Logger log = LoggerFactory.getLogger(RetentionLoop.class);

  public static final Duration INTERVAL = Duration.ofHours(1);
  public static final int BATCH = 500;

  private final TaskStore tasks;
  private final AuditStore audit;
  private final Clock clock;
  private final Duration keep;
  private final int batch;

  public RetentionLoop(TaskStore tasks, AuditStore audit, Clock clock, int retentionDays) {
    this(tasks, audit, clock, Duration.ofDays(retentionDays), BATCH);
  }

  /**
   * Keeps {@code keep}, deleting at most {@code batch} tasks (or audit entries) per transaction.
   */
  public RetentionLoop(TaskStore tasks, AuditStore audit, Clock clock, Duration keep, int batch) {
    super("retention", INTERVAL);
    if (keep.isNegative() || keep.isZero()) {
      throw new IllegalArgumentException("retention must be positive, got " + keep);
    }
    this.tasks = tasks;
    this.audit = audit;
    this.clock = clock;
    this.keep = keep;
    this.batch = batch;
  }

  /** What one pass deleted. */
  public record Purged(int tasks, int auditEntries) {}

  @Override
  public void runOnce() {
    purge();
  }

  /** Deletes everything due, batch by batch. */
  public Purged purge() {
    Instant cutoff = clock.instant().minus(keep);
    int t = drain(n -> tasks.purgeFinishedBefore(cutoff, n));
    int a = drain(n -> audit.purgeBefore(cutoff, n));
    if (t > 0 || a > 0) {
      log.info("retention: deleted {} tasks and {} audit entries older than {}", t, a, cutoff);
    }
    return new Purged(t, a);
  }

  private int drain(IntUnaryOperator purgeBatch) {
    int total = 0;
    while (!Thread.currentThread().isInterrupted()) {
      int n = purgeBatch.applyAsInt(batch);
      total += n;
      if (n < batch) {
        break;
      }
    }
    return total;
  }
}
