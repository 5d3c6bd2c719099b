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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends output chunks and results to the master, one at a time and in order, from its own thread. A
 * result just saved is sent from memory; after a reconnect or a refusal the spool (and what is held
 * in memory while the spool cannot be written) is sent. A result leaves the spool only when the
 * master acknowledged it. Output chunks are best effort and dropped while disconnected; the last
 * chunks of a run that are still queued when its result is ready travel inside the result (its
 * {@code output_chunks}), which saves a round trip per run.
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

  /**
   * The most live output one result carries in its {@code output_chunks}; chunks beyond it go on
   * their own, so a result never grows much past the run's kept output.
   */
  static final int MAX_CARRIED_BYTES = 256 * 1024;

  private sealed interface Item permits Chunk, Flush, Send {}

  private record Chunk(OutputChunk chunk) implements Item {}

  /** Send every result in the spool. */
  private record Flush() implements Item {}

  /** Send this result, just saved in the spool. */
  private record Send(RunResult result) implements Item {}

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

  /** Results are in the spool or held in memory: send them all. */
  void resultReady() {
    queue.add(new Flush());
  }

  /** This result was just saved in the spool: send it from memory. */
  void resultReady(RunResult result) {
    queue.add(new Send(result));
  }

  private void loop() {
    while (!closed) {
      try {
        Item item = queue.poll(1, TimeUnit.SECONDS);
        if (item == null) {
          if (results.hasUnsaved()) {
            flush(); // on a quiet second too while a result waits to be saved
          } else if (retryIn > 0 && --retryIn == 0) {
            flush(); // the master refused a result on a connection that stays up: again
          }
          continue;
        }
        List<Item> batch = new ArrayList<>();
        batch.add(item);
        queue.drainTo(batch);
        handle(batch);
      } catch (InterruptedException e) {
        if (!closed) {
          log.warn("outbox interrupted unexpectedly");
        }
      } catch (IOException | RuntimeException e) {
        log.warn("outbox pass failed: {}", e.toString());
      }
    }
  }

  /**
   * Sends what was queued, in order, except that a chunk of a run whose result comes later in the
   * same batch is carried by that result.
   */
  private void handle(List<Item> batch) throws IOException {
    Map<String, Integer> resultAt = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i) instanceof Send s) {
        resultAt.put(s.result().taskId(), i);
      }
    }
    Map<String, List<OutputChunk>> carried = new HashMap<>();
    Map<String, Integer> carriedBytes = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      Item item = batch.get(i);
      if (item instanceof Chunk c) {
        OutputChunk chunk = c.chunk();
        queuedBytes.addAndGet(-chunk.data().length);
        Integer at = resultAt.get(chunk.id());
        int bytes = carriedBytes.getOrDefault(chunk.id(), 0) + chunk.data().length;
        if (at != null && at > i && bytes <= MAX_CARRIED_BYTES) {
          carried.computeIfAbsent(chunk.id(), k -> new ArrayList<>()).add(chunk);
          carriedBytes.put(chunk.id(), bytes);
        } else {
          send(chunk);
        }
      } else if (item instanceof Send s) {
        List<OutputChunk> chunks = carried.remove(s.result().taskId());
        send(s.result(), chunks == null ? List.of() : chunks);
      } else {
        flush();
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

  /** Sends one result just saved, with the chunks it carries. */
  private void send(RunResult r, List<OutputChunk> chunks) {
    if (retryIn > 0) {
      // an older result waits for a retry: keep the order, this one goes after it
      chunks.forEach(this::send);
      return;
    }
    ZeroRpcClient c = client;
    if (c == null || !results.contains(r.runKey())) {
      return; // sent on the next connection, or already acknowledged
    }
    deliver(c, r, chunks);
  }

  private void flush() throws IOException {
    for (RunResult r : results.pending()) {
      ZeroRpcClient c = client;
      if (c == null || !deliver(c, r, List.of())) {
        return;
      }
    }
  }

  /** Sends a result and forgets it once acknowledged; false when the master did not take it. */
  private boolean deliver(ZeroRpcClient c, RunResult r, List<OutputChunk> chunks) {
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
            r.attempt(),
            chunks);
    try {
      c.call("sendmsg", callTimeout, MessageCodec.encode(msg)).get();
      results.acknowledged(r.runKey());
    } catch (Exception e) {
      log.warn(
          "result of task {} not delivered yet, kept in spool, sent again in {} s: {}",
          r.runKey(),
          backoff,
          e.toString());
      retryIn = backoff;
      backoff = Math.min(backoff * 2, MAX_RETRY_SECONDS);
      return false;
    }
    log.info("result of task {} delivered ({})", r.runKey(), r.status().wireName());
    backoff = 1;
    retryIn = 0;
    return true;
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
