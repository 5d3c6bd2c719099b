package io.mschedule.cli.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open live event stream of one task, read on a daemon thread that calls an {@link
 * EventListener}. Close it to stop listening; {@link #await()} waits until the master ends it.
 */
public final class EventStream implements AutoCloseable {
  private final InputStream body;
  private final EventListener listener;
  private final ObjectMapper json;
  private final Thread reader;
  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile Throwable error;

  EventStream(InputStream body, EventListener listener, ObjectMapper json, String name) {
    this.body = body;
    this.listener = listener;
    this.json = json;
    this.reader = new Thread(this::read, name);
    this.reader.setDaemon(true);
  }

  void start() {
    reader.start();
  }

  private void read() {
    SseParser parser = new SseParser(this::dispatch);
    byte[] buf = new byte[8192];
    Throwable failure = null;
    try (InputStream in = body) {
      int n;
      while (!closed.get() && (n = in.read(buf)) >= 0) {
        parser.feed(buf, 0, n);
      }
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
    }
    finish(closed.get() ? null : failure);
  }

  private synchronized void dispatch(String event, String data) {
    if (closed.get()) {
      return;
    }
    try {
      switch (event) {
        case "task" -> listener.onTask(json.readValue(data, Task.class));
        case "run" -> listener.onRun(json.readValue(data, Run.class));
        case "output" -> listener.onOutput(json.readValue(data, OutputChunk.class));
        default -> listener.onOther(event, data);
      }
    } catch (IOException e) {
      throw new ApiException(
          0, "malformed '" + event + "' event from the master: " + data, null, e);
    }
  }

  private synchronized void finish(Throwable failure) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    error = failure;
    try {
      listener.onClosed(failure);
    } finally {
      done.countDown();
    }
  }

  /** Waits until the stream is over. */
  public void await() throws InterruptedException {
    done.await();
  }

  /** Waits at most {@code timeout}; true when the stream is over. */
  public boolean await(Duration timeout) throws InterruptedException {
    return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** True once the stream is over (ended, broken or closed). */
  public boolean isDone() {
    return done.getCount() == 0;
  }

  /** Why the stream broke, or null (still open, ended normally, or closed). */
  public Throwable error() {
    return error;
  }

  /**
   * Stops listening, without waiting: the listener gets {@code onClosed(null)} unless the stream
   * was over, and nothing after. The connection itself is closed by the reading thread once its
   * read in progress returns (the master ends a stream at the task's final state and sends a
   * keep-alive every few seconds); closing it from here would wait for that read.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Thread.currentThread() == reader) {
      try {
        body.close();
      } catch (IOException | RuntimeException ignored) {
        // closing is best effort; the reader thread ends either way
      }
    }
    finish(null);
  }
}
