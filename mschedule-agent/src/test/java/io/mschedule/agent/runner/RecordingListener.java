package io.mschedule.agent.runner;

import static org.awaitility.Awaitility.await;

import io.mschedule.protocol.message.StdStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * Records what a run reports and checks the listener contract on the way: chunks numbered from 0
 * without gaps, each starting at the offset where the one before ended, never two calls at once,
 * nothing after the result, one result.
 */
final class RecordingListener implements RunListener {

  private final boolean keepChunks;
  private final ByteArrayOutputStream chunkBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderrBytes = new ByteArrayOutputStream();
  private final CRC32 chunkCrc = new CRC32();
  private final List<String> violations = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private long nextSeq;
  private long chunkTotal;
  private int results;
  private volatile RunResult result;

  /** A listener that keeps the chunks' bytes. */
  RecordingListener() {
    this(true);
  }

  /** A listener that keeps only a checksum and the size of the chunks (for huge outputs). */
  RecordingListener(boolean keepChunks) {
    this.keepChunks = keepChunks;
  }

  @Override
  public void onOutput(String taskId, long seq, byte[] chunk) {
    onOutput(taskId, seq, -1, StdStream.STDOUT, chunk);
  }

  @Override
  public void onOutput(String taskId, long seq, long offset, StdStream stream, byte[] chunk) {
    enter();
    try {
      synchronized (this) {
        if (result != null) {
          violations.add("chunk " + seq + " after the result");
        }
        if (seq != nextSeq) {
          violations.add("chunk " + seq + " where " + nextSeq + " was expected");
        }
        nextSeq = seq + 1;
        if (offset >= 0 && offset != chunkTotal) {
          violations.add(
              "chunk " + seq + " at offset " + offset + " where " + chunkTotal + " was expected");
        }
        chunkTotal += chunk.length;
        if (keepChunks && stream == StdStream.STDERR) {
          stderrBytes.writeBytes(chunk);
        }
        chunkCrc.update(chunk);
        if (keepChunks) {
          chunkBytes.writeBytes(chunk);
        }
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  @Override
  public void onResult(RunResult r) {
    enter();
    try {
      synchronized (this) {
        results++;
        if (results > 1) {
          violations.add("more than one result");
        }
        result = r;
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void enter() {
    if (inFlight.incrementAndGet() > 1) {
      synchronized (this) {
        violations.add("overlapping listener calls");
      }
    }
  }

  /** Waits (generously) for the result. */
  RunResult awaitResult() {
    return awaitResult(Duration.ofSeconds(30));
  }

  RunResult awaitResult(Duration atMost) {
    await().atMost(atMost).until(() -> result != null);
    return result;
  }

  RunResult result() {
    return result;
  }

  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  synchronized long chunks() {
    return nextSeq;
  }

  synchronized long chunkTotal() {
    return chunkTotal;
  }

  synchronized long chunkCrc() {
    return chunkCrc.getValue();
  }

  /** The bytes of the chunks that were stderr. */
  synchronized byte[] stderrChunkBytes() {
    return stderrBytes.toByteArray();
  }

  synchronized byte[] chunkBytes() {
    return chunkBytes.toByteArray();
  }
}
