package io.mschedule.agent.runner;

import io.mschedule.protocol.message.StdStream;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a run's output into chunks for {@link RunListener#onOutput}: a chunk goes out as soon as
 * {@code chunkBytes} are pending, or when the oldest pending byte is {@code interval} old (checked
 * by {@link #flushIfDue()}). A chunk holds bytes of one stream: output of the other stream first
 * sends what is pending. Chunks are numbered from 0 without gaps and delivered one at a time, in
 * order. Thread-safe.
 */
final class OutputChunker {

  private static final Logger log = LoggerFactory.getLogger(OutputChunker.class);

  private final String taskId;
  private final RunListener listener;
  private final int chunkBytes;
  private final long intervalNanos;

  private byte[] pending;
  private int pendingLength;
  private StdStream pendingStream = StdStream.STDOUT;
  private long oldestPendingNanos;
  private long nextSeq;
  private long emittedBytes;
  private boolean closed;
  private boolean listenerFailed;

  OutputChunker(String taskId, RunListener listener, int chunkBytes, long intervalNanos) {
    this.taskId = taskId;
    this.listener = listener;
    this.chunkBytes = chunkBytes;
    this.intervalNanos = intervalNanos;
  }

  synchronized void append(byte[] bytes, int offset, int length) {
    append(StdStream.STDOUT, bytes, offset, length);
  }

  synchronized void append(StdStream stream, byte[] bytes, int offset, int length) {
    if (closed) {
      return;
    }
    if (stream != pendingStream && pendingLength > 0) {
      emit();
    }
    pendingStream = stream;
    while (length > 0) {
      if (pending == null) {
        pending = new byte[chunkBytes];
      }
      if (pendingLength == 0) {
        oldestPendingNanos = System.nanoTime();
      }
      int n = Math.min(length, chunkBytes - pendingLength);
      System.arraycopy(bytes, offset, pending, pendingLength, n);
      pendingLength += n;
      offset += n;
      length -= n;
      if (pendingLength == chunkBytes) {
        emit();
      }
    }
    if (intervalNanos == 0 && pendingLength > 0) {
      emit();
    }
  }

  /** Sends the pending output when its oldest byte has waited the interval. */
  synchronized void flushIfDue() {
    if (!closed && pendingLength > 0 && System.nanoTime() - oldestPendingNanos >= intervalNanos) {
      emit();
    }
  }

  /** Sends what is pending; nothing is sent after this. */
  synchronized void close() {
    if (!closed && pendingLength > 0) {
      emit();
    }
    closed = true;
  }

  /** How many chunks were sent. */
  synchronized long chunks() {
    return nextSeq;
  }

  private void emit() {
    byte[] chunk = Arrays.copyOf(pending, pendingLength);
    pendingLength = 0;
    long seq = nextSeq++;
    long offset = emittedBytes;
    emittedBytes += chunk.length;
    try {
      listener.onOutput(taskId, seq, offset, pendingStream, chunk);
    } catch (RuntimeException e) {
      if (!listenerFailed) {
        listenerFailed = true;
        log.warn("task {}: the output listener failed on chunk {}; going on", taskId, seq, e);
      }
    }
  }
}
