package io.mschedule.master.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of results: outcomes handed over from any thread are stored by one thread of its
 * own, all those waiting at that moment in one transaction ({@link ResultRecorder#recordAll}), and
 * each is answered once it is durable. The caller's thread (a gateway's) returns at once, so a
 * burst of results costs one transaction instead of one each, and neither the gateway's threads nor
 * the coordinator wait for the database.
 */
public final class ResultBatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResultBatcher.class);

  /** The most outcomes stored in one transaction. */
  static final int MAX_BATCH = 500;

  private record Item(RunOutcome outcome, AgentGateway.Recorded done) {}

  private final ResultRecorder recorder;
  private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  public ResultBatcher(ResultRecorder recorder) {
    this.recorder = recorder;
    this.thread = new Thread(this::loop, "mschedule-results");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stores the outcome with those that arrive with it, then tells {@code done}. */
  public void submit(RunOutcome outcome, AgentGateway.Recorded done) {
    if (closed) {
      tell(done, ResultRecorder.Recorded.failed(stopping()));
      return;
    }
    queue.add(new Item(outcome, done));
  }

  private void loop() {
    List<Item> batch = new ArrayList<>();
    while (!closed) {
      try {
        Item first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        List<ResultRecorder.Recorded> recorded =
            recorder.recordAll(batch.stream().map(Item::outcome).toList());
        for (int i = 0; i < batch.size(); i++) {
          tell(batch.get(i).done(), recorded.get(i));
        }
      } catch (InterruptedException e) {
        if (!closed) {
          log.warn("result writer interrupted unexpectedly");
        }
      } catch (RuntimeException e) {
        log.error("storing {} result(s) failed", batch.size(), e);
        batch.forEach(item -> tell(item.done(), ResultRecorder.Recorded.failed(e)));
      } finally {
        batch.clear();
      }
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
   * Stops the writer; results still waiting are answered with an error (agents send them again).
   */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Item> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(item -> tell(item.done(), ResultRecorder.Recorded.failed(stopping())));
  }
}
