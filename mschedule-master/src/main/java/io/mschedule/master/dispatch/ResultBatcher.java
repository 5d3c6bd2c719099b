package io.mschedule.master.dispatch;

import io.mschedule.master.store.GroupCommit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit ({@link GroupCommit}) of results. A gateway thread that hands over an outcome while
 * no write is going on stores it at once, on its own thread (no hand-off when results come one at a
 * time); outcomes handed over while a write is going on wait, and the writing thread stores all of
 * them (up to {@link #MAX_BATCH}) in its next transaction ({@link ResultRecorder#recordAll}) before
 * it lets go. Each outcome is answered once it is durable; the threads that only queued one return
 * at once. The coordinator never waits for these writes.
 */
public final class ResultBatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResultBatcher.class);

  /** The most outcomes stored in one transaction. */
  static final int MAX_BATCH = 500;

  private record Item(RunOutcome outcome, AgentGateway.Recorded done) {}

  private final ResultRecorder recorder;
  private final GroupCommit<Item> commits = new GroupCommit<>(MAX_BATCH, this::write);
  private volatile boolean closed;

  public ResultBatcher(ResultRecorder recorder) {
    this.recorder = recorder;
  }

  /**
   * Stores the outcome with those that arrive with it, then tells {@code done}: on this thread, or
   * on the thread that is writing now.
   */
  public void submit(RunOutcome outcome, AgentGateway.Recorded done) {
    if (closed) {
      tell(done, ResultRecorder.Recorded.failed(stopping()));
      return;
    }
    commits.add(new Item(outcome, done));
  }

  private void write(List<Item> batch) {
    List<ResultRecorder.Recorded> recorded;
    try {
      recorded = recorder.recordAll(batch.stream().map(Item::outcome).toList());
    } catch (RuntimeException e) {
      log.error("storing {} result(s) failed", batch.size(), e);
      batch.forEach(item -> tell(item.done(), ResultRecorder.Recorded.failed(e)));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      tell(batch.get(i).done(), recorded.get(i));
    }
  }

  private static void tell(AgentGateway.Recorded done, ResultRecorder.Recorded r) {
    try {
      if (r.error() != null) {
        done.failed(r.error());
      } else {
        done.recorded(r.fresh());
      }
    } catch (RuntimeException e) {
      log.warn("answering a result failed", e);
    }
  }

  private static IllegalStateException stopping() {
    return new IllegalStateException("the master is stopping; the result is not recorded");
  }

  /**
   * Refuses outcomes handed over from now on (agents send them again); a write going on ends and
   * answers what it took.
   */
  @Override
  public void close() {
    closed = true;
  }
}
