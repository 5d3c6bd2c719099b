package io.mschedule.agent.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mschedule.agent.runner.RunResult;
import io.mschedule.agent.runner.RunStatus;
import io.mschedule.agent.spool.PendingResults;
import io.mschedule.agent.spool.ResultSpool;
import io.mschedule.protocol.message.Message;
import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.message.MessageTypes;
import io.mschedule.protocol.message.OutputChunk;
import io.mschedule.protocol.message.Result;
import io.mschedule.protocol.zerorpc.ClientOptions;
import io.mschedule.protocol.zerorpc.ServerCall;
import io.mschedule.protocol.zerorpc.ServerOptions;
import io.mschedule.protocol.zerorpc.ZeroRpcClient;
import io.mschedule.protocol.zerorpc.ZeroRpcServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.value.ValueFactory;

/**
 * The outbox against a stand-in master: a real zerorpc server on loopback that records what it
 * receives and acknowledges, refuses or holds each message as the test says.
 */
class OutboxTest {
  static final Duration WITHIN = Duration.ofSeconds(15);
  static final String AGENT = "agent-1";

  @TempDir Path dir;
  ResultSpool spool;
  ZeroRpcServer master;
  ZeroRpcClient client;
  Outbox outbox;

  /** What the stand-in master received, in order: "result t1" or "output t1 0 text". */
  final List<String> received = new CopyOnWriteArrayList<>();

  /** When set, the master answers results with an error (as when its database is down). */
  final AtomicBoolean refuseResults = new AtomicBoolean();

  /** When set, the master does not answer results until the test does. */
  final AtomicBoolean holdResults = new AtomicBoolean();

  final BlockingQueue<ServerCall> held = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    spool = new ResultSpool(dir.resolve("spool"));
    master =
        ZeroRpcServer.start(new ServerOptions("tcp://127.0.0.1:0").name("stand-in"), this::onCall);
    client =
        ZeroRpcClient.connect(
            new ClientOptions("tcp://127.0.0.1:" + master.port())
                .handshakeTimeout(Duration.ofMillis(500)));
    outbox = new Outbox(AGENT, new PendingResults(spool, id -> {}), Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    outbox.close();
    client.close();
    master.close();
  }

  private void onCall(ServerCall call) {
    Message m = MessageCodec.decode(call.args().get(0));
    if (m instanceof Result r) {
      received.add(
          "result "
              + r.id()
              + r.lastChunks().stream()
                  .map(c -> " +" + c.seq() + " " + new String(c.data(), UTF_8))
                  .collect(java.util.stream.Collectors.joining()));
      if (refuseResults.get()) {
        call.error("Internal", "the database is down");
      } else if (holdResults.get()) {
        held.add(call);
      } else {
        call.reply(MessageCodec.ack(MessageTypes.RESULT, r.id(), Map.of()));
      }
    } else if (m instanceof OutputChunk c) {
      received.add("output " + c.id() + " " + c.seq() + " " + new String(c.data(), UTF_8));
      call.reply(MessageCodec.ack(MessageTypes.OUTPUT, c.id(), Map.of()));
    } else {
      call.error("BadRequest", "unexpected " + m.type());
    }
  }

  static RunResult result(String taskId) {
    return new RunResult(
        taskId, RunStatus.EXITED, 0, "done\n".getBytes(UTF_8), false, 5, null, 1000, 2000);
  }

  List<String> spooled() throws Exception {
    return spool.pending().stream().map(RunResult::taskId).toList();
  }

  @Test
  void onConnectTheSpooledResultsGoOutOldestFirstAndLeaveTheSpool() throws Exception {
    spool.save(result("t3"));
    spool.save(result("t1"));
    spool.save(result("t2"));

    outbox.connected(client);

    await().atMost(WITHIN).until(() -> spooled().isEmpty());
    assertThat(received).containsExactly("result t3", "result t1", "result t2");
  }

  @Test
  void aResultStaysInTheSpoolUntilTheMasterAcknowledgesIt() throws Exception {
    holdResults.set(true);
    spool.save(result("t1"));
    outbox.connected(client);

    ServerCall call = held.poll(WITHIN.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertThat(call).as("the result reached the master").isNotNull();
    assertThat(spooled()).as("sent but not acknowledged").containsExactly("t1");

    call.reply(MessageCodec.ack(MessageTypes.RESULT, "t1", Map.of()));

    await().atMost(WITHIN).until(() -> spooled().isEmpty());
  }

  @Test
  void aRefusedResultIsKeptAndHoldsBackTheOnesAfterIt() throws Exception {
    refuseResults.set(true);
    spool.save(result("t1"));
    spool.save(result("t2"));

    outbox.connected(client);
    await().atMost(WITHIN).until(() -> received.contains("result t1"));
    // a marker through the same queue: once it arrived, the flush before it has ended
    outbox.output("marker", 0, "m".getBytes(UTF_8));
    await().atMost(WITHIN).until(() -> received.contains("output marker 0 m"));

    assertThat(received).containsExactly("result t1", "output marker 0 m");
    assertThat(spooled()).containsExactly("t1", "t2");

    refuseResults.set(false);
    outbox.resultReady();

    await().atMost(WITHIN).until(() -> spooled().isEmpty());
    assertThat(received)
        .containsExactly("result t1", "output marker 0 m", "result t1", "result t2");
  }

  @Test
  void outputAndResultsGoInTheOrderTheyCame() throws Exception {
    outbox.connected(client);
    // once the marker arrived, the flush for the connection (an empty spool) is behind us
    outbox.output("marker", 0, "m".getBytes(UTF_8));
    await().atMost(WITHIN).until(() -> received.contains("output marker 0 m"));
    received.clear();

    outbox.output("t1", 0, "one".getBytes(UTF_8));
    outbox.output("t1", 1, "two".getBytes(UTF_8));
    spool.save(result("t1"));
    outbox.resultReady();
    outbox.output("t2", 0, "three".getBytes(UTF_8));

    await().atMost(WITHIN).until(() -> received.size() == 4);
    assertThat(received)
        .containsExactly("output t1 0 one", "output t1 1 two", "result t1", "output t2 0 three");
    assertThat(spooled()).isEmpty();
  }

  @Test
  void theLastChunksOfARunTravelInsideItsResultSentFromMemory() throws Exception {
    holdResults.set(true);
    spool.save(result("t0"));
    outbox.connected(client);
    // the outbox waits for the held acknowledgement: what follows queues up behind it
    ServerCall call = held.poll(WITHIN.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertThat(call).isNotNull();
    holdResults.set(false);

    outbox.output("t2", 0, "other".getBytes(UTF_8));
    outbox.output("t1", 0, "one".getBytes(UTF_8));
    outbox.output("t1", 1, "two".getBytes(UTF_8));
    RunResult t1 = result("t1");
    spool.save(t1);
    outbox.resultReady(t1);
    outbox.output("t1", 2, "late".getBytes(UTF_8)); // after the result: goes on its own
    call.reply(MessageCodec.ack(MessageTypes.RESULT, "t0", Map.of()));

    await().atMost(WITHIN).until(() -> received.size() == 4);
    assertThat(received)
        .containsExactly(
            "result t0", "output t2 0 other", "result t1 +0 one +1 two", "output t1 2 late");
    assertThat(spooled()).isEmpty();
  }

  @Test
  void aResultSentFromMemoryIsNotSentAgainOnceAcknowledged() throws Exception {
    outbox.connected(client);
    RunResult t1 = result("t1");
    spool.save(t1);
    outbox.resultReady(); // the spool's copy goes first
    outbox.resultReady(t1); // then the copy in memory: already acknowledged, not sent
    outbox.output("marker", 0, "m".getBytes(UTF_8));

    await().atMost(WITHIN).until(() -> received.contains("output marker 0 m"));
    assertThat(received).containsExactly("result t1", "output marker 0 m");
    assertThat(spooled()).isEmpty();
  }

  @Test
  void whileDisconnectedOutputIsDroppedAndResultsWaitInTheSpool() throws Exception {
    outbox.output("t1", 0, "lost".getBytes(UTF_8));
    spool.save(result("t1"));
    outbox.resultReady();
    assertThat(spooled()).containsExactly("t1");

    outbox.connected(client);
    outbox.output("t1", 1, "live".getBytes(UTF_8));

    await().atMost(WITHIN).until(() -> received.size() == 2);
    assertThat(received).containsExactly("result t1", "output t1 1 live");
    assertThat(spooled()).isEmpty();

    outbox.disconnected();
    outbox.output("t1", 2, "dropped".getBytes(UTF_8));
    spool.save(result("t2"));
    outbox.resultReady();
    outbox.connected(client);
    await().atMost(WITHIN).until(() -> spooled().isEmpty());
    assertThat(received).containsExactly("result t1", "output t1 1 live", "result t2");
  }

  @Test
  void outputBeyondTheQueueLimitIsDroppedNotQueued() throws Exception {
    holdResults.set(true);
    spool.save(result("t0"));
    outbox.connected(client);
    // the outbox is now stuck waiting for the held acknowledgement: output queues up behind it
    ServerCall call = held.poll(WITHIN.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertThat(call).isNotNull();

    byte[] mib = new byte[1024 * 1024];
    long chunks = Outbox.MAX_QUEUED_OUTPUT_BYTES / mib.length;
    for (long seq = 0; seq < chunks + 3; seq++) {
      outbox.output("t1", seq, mib);
    }
    call.reply(MessageCodec.ack(MessageTypes.RESULT, "t0", Map.of()));

    // room again once the queue has drained: a marker goes through, after the kept chunks
    await().atMost(WITHIN).until(() -> received.size() == 1 + chunks);
    outbox.output("marker", 0, "m".getBytes(UTF_8));
    await().atMost(WITHIN).until(() -> received.contains("output marker 0 m"));
    assertThat(received).hasSize((int) (2 + chunks));
    assertThat(received.get((int) chunks)).startsWith("output t1 " + (chunks - 1) + " ");
    assertThat(spooled()).isEmpty();
  }

  @Test
  void a_result_the_master_fails_to_record_is_sent_again_without_a_reconnect() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    // a master whose database is down for its first two attempts
    try (ZeroRpcServer refusing =
            ZeroRpcServer.start(
                new ServerOptions("tcp://127.0.0.1:0").name("master"),
                call -> {
                  if (calls.incrementAndGet() <= 2) {
                    throw new IllegalStateException("the database is unavailable");
                  }
                  call.reply(ValueFactory.newString("ok"));
                });
        ZeroRpcClient refusedClient =
            ZeroRpcClient.connect(new ClientOptions("tcp://127.0.0.1:" + refusing.port()))) {
      PendingResults results = new PendingResults(new ResultSpool(dir.resolve("spool")), id -> {});
      results.add(RunResult.failedToStart("t1", "no shell", 1L, 2L));
      try (Outbox retrying = new Outbox("a1", results, Duration.ofSeconds(5))) {
        retrying.connected(refusedClient);

        // refused at once, then sent again after 1 s and 2 s: acknowledged on the third call
        await("the result is acknowledged")
            .atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> results.pending().isEmpty());
      }
      assertThat(calls.get()).isEqualTo(3);
    }
  }
}
