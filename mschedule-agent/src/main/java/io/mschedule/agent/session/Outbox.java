package io.mschedule.agent.session;

import io.mschedule.agent.runner.RunResult;
import io.mschedule.agent.spool.PendingResults;
import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.message.OutputChunk;
import io.mschedule.protocol.message.Result;
import io.mschedule.protocol.message.StdStream;
import io.mschedule.protocol.zerorpc.ZeroRpcClient;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends output chunks and results to the master, one at a time and in order, from its own thread.
 * Results are sent from the spool (or from memory while the spool cannot be written) and removed
 * only when the master acknowledged them; output chunks are best effort and dropped while
 * disconnected.
 */
final class Outbox implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  /**
   * Live output waiting to be sent, at most; past it chunks are dropped (the live view misses them;
   * the result still carries the kept output), so a script printing faster than the network can
   * carry never grows the agent's memory.
   */
  static final long MAX_QUEUED_OUTPUT_BYTES = 8L * 1024 * 1024;

  private final java.util.concurrent.atomic.AtomicLong queuedBytes =
      new java.util.concurrent.atomic.AtomicLong();

  private sealed interface Item permits Chunk, Flush {}

  private record Chunk(OutputChunk chunk) implements Item {}

  /** Send every result in the spool. */
  private record Flush() implements Item {}

  private final String agentId;
  private final PendingResults results;
  private final Duration callTimeout;
  private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile ZeroRpcClient client;
  private volatile boolean closed;

  /** Quiet seconds to wait before sending again a result the master refused; 0: none waits. */
  private int retryIn;

  /** The wait after the next refusal: doubles from 1 s up to {@link #MAX_RETRY_SECONDS}. */
  private int backoff = 1;

  /**
   * The longest wait before a result the master failed to record (its database down, say) is sent
   * again while the connection stays up.
   */
  static final int MAX_RETRY_SECONDS = 8;

  Outbox(String agentId, PendingResults results, Duration callTimeout) {
    this.agentId = agentId;
    this.results = results;
    this.callTimeout = callTimeout;
    this.thread = new Thread(this::loop, "mschedule-outbox");
    thread.setDaemon(true);
    thread.start();
  }

  /** A connection is registered: send what the spool holds. */
  void connected(ZeroRpcClient c) {
    client = c;
    queue.add(new Flush());
  }

  void disconnected() {
    client = null;
  }

  void output(String taskId, long seq, byte[] data) {
    output(taskId, seq, OutputChunk.NO_OFFSET, StdStream.STDOUT, data);
  }

  void output(String taskId, long seq, long offset, StdStream stream, byte[] data) {
    if (client == null) {
      return;
    }
    if (queuedBytes.addAndGet(data.length) > MAX_QUEUED_OUTPUT_BYTES) {
      queuedBytes.addAndGet(-data.length);
      return;
    }
    queue.add(new Chunk(new OutputChunk(taskId, agentId, seq, data, stream, offset)));
  }

  /** A result is in the spool: send it. */
  void resultReady() {
    queue.add(new Flush());
  }

  private void loop() {
    while (!closed) {
      try {
        Item item = queue.poll(1, TimeUnit.SECONDS);
        if (item instanceof Chunk c) {
          queuedBytes.addAndGet(-c.chunk().data().length);
          send(c.chunk());
        } else if (item instanceof Flush || (item == null && results.hasUnsaved())) {
          flush(); // on a quiet second too while a result waits to be saved
        } else if (item == null && retryIn > 0 && --retryIn == 0) {
          flush(); // the master refused a result on a connection that stays up: again
        }
      } catch (InterruptedException e) {
        if (!closed) {
          log.warn("outbox interrupted unexpectedly");
        }
      } catch (IOException | RuntimeException e) {
        log.warn("outbox pass failed: {}", e.toString());
      }
    }
  }

  private void send(OutputChunk chunk) {
    ZeroRpcClient c = client;
    if (c == null) {
      return;
    }
    try {
      c.call("sendmsg", callTimeout, MessageCodec.encode(chunk)).get();
    } catch (Exception e) {
      log.debug("output chunk {} of {} not delivered: {}", chunk.seq(), chunk.id(), e.toString());
    }
  }

  private void flush() throws IOException {
    for (RunResult r : results.pending()) {
      ZeroRpcClient c = client;
      if (c == null) {
        return;
      }
      Result msg =
          new Result(
              r.taskId(),
              agentId,
              r.status().wireName(),
              r.code(),
              r.output(),
              r.truncated(),
              r.error(),
              r.startedAtMillis(),
              r.finishedAtMillis(),
              r.streams(),
              r.attempt());
      try {
        c.call("sendmsg", callTimeout, MessageCodec.encode(msg)).get();
        results.acknowledged(r.runKey());
        log.info("result of task {} delivered ({})", r.runKey(), r.status().wireName());
        backoff = 1;
        retryIn = 0;
      } catch (Exception e) {
        log.warn(
            "result of task {} not delivered yet, kept in spool, sent again in {} s: {}",
            r.runKey(),
            backoff,
            e.toString());
        retryIn = backoff;
        backoff = Math.min(backoff * 2, MAX_RETRY_SECONDS);
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
