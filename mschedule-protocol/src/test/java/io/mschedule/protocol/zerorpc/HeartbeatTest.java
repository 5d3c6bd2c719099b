package io.mschedule.protocol.zerorpc;

import static io.mschedule.protocol.zerorpc.Fixtures.WAIT;
import static io.mschedule.protocol.zerorpc.Fixtures.endpoint;
import static io.mschedule.protocol.zerorpc.Fixtures.i;
import static io.mschedule.protocol.zerorpc.Fixtures.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;

/** Heartbeats with a 200 ms interval: a peer is lost after 400 ms of silence. */
class HeartbeatTest {
  private static final Duration HB = Duration.ofMillis(200);
  private static final ScheduledExecutorService LATER = Executors.newScheduledThreadPool(1);

  @AfterAll
  static void stopScheduler() {
    LATER.shutdownNow();
  }

  private static ServerOptions server() {
    return Fixtures.localServer().heartbeatInterval(HB);
  }

  private static ClientOptions client(ZeroRpcServer server) {
    return Fixtures.clientTo(server).heartbeatInterval(HB);
  }

  @Test
  void serverStreamClosesWhenItsClientDisappears() throws Exception {
    CountDownLatch opened = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    AtomicInteger closeCount = new AtomicInteger();
    AtomicReference<ServerStream> stream = new AtomicReference<>();
    try (ZeroRpcServer server =
        ZeroRpcServer.start(
            server(),
            call -> {
              ServerStream s = call.openStream();
              s.onClose(
                  () -> {
                    closeCount.incrementAndGet();
                    closed.countDown();
                  });
              s.send(s("subscribed"));
              stream.set(s);
              opened.countDown();
            })) {
      RawDealer dealer = new RawDealer(endpoint(server));
      dealer.call("subscribe");
      assertThat(dealer.receivePayload(WAIT).args()).isEqualTo(s("subscribed"));
      assertThat(opened.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(stream.get().isOpen()).isTrue();

      dealer.close(); // gone without a word, as a crashed agent

      assertThat(closed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(stream.get().isOpen()).isFalse();
      assertThat(stream.get().send(s("late"))).isFalse();
      await().atMost(WAIT).until(() -> server.openChannels() == 0);
      assertThat(closeCount).hasValue(1);
    }
  }

  @Test
  void serverHeartbeatsAPendingCallAndDropsTheLateReplyOfALostClient() throws Exception {
    AtomicReference<ServerCall> pending = new AtomicReference<>();
    try (ZeroRpcServer server = ZeroRpcServer.start(server(), pending::set);
        RawDealer dealer = new RawDealer(endpoint(server))) {
      MessageId id = dealer.call("slow");
      // the server heartbeats the pending call, as zerorpc does
      Event hb = dealer.receive(WAIT);
      assertThat(hb.name()).isEqualTo("_zpc_hb");
      assertThat(hb.responseTo()).hasValue(id);
      assertThat(hb.args()).isEqualTo(Fixtures.array(i(0)));

      // we never heartbeat back: the channel is dropped, and so is the reply
      await().atMost(WAIT).until(() -> server.openChannels() == 0);
      assertThat(pending.get().isOpen()).isFalse();
      pending.get().reply(s("too late"));
      assertThat(dealer.receivePayload(Duration.ofMillis(500))).isNull();
    }
  }

  @Test
  void clientGetsLostRemoteWhenTheServerNeverAnswers() throws Exception {
    try (RawRouter silent = new RawRouter();
        ZeroRpcClient client =
            ZeroRpcClient.connect(
                new ClientOptions("tcp://127.0.0.1:" + silent.port)
                    .heartbeatInterval(HB)
                    .handshakeTimeout(Duration.ofMillis(500)))) {
      connectAnsweringPingsByHand(client, silent);
      long start = System.nanoTime();
      CompletableFuture<Value> call = client.call("register", Duration.ofSeconds(30));

      RawRouter.Received request = silent.receivePayload(WAIT);
      assertThat(request.event().name()).isEqualTo("register");
      // the client heartbeats its channel
      RawRouter.Received hb = silent.receive(WAIT);
      assertThat(hb.event().name()).isEqualTo("_zpc_hb");
      assertThat(hb.event().responseTo()).isEqualTo(request.event().messageId());

      assertThat(call)
          .failsWithin(WAIT)
          .withThrowableThat()
          .havingCause()
          .isInstanceOf(LostRemoteException.class)
          .withMessageContaining("lost remote after 400 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
  }

  /** Pings through a RawRouter until one round trip works (see Fixtures#awaitConnected). */
  private static void connectAnsweringPingsByHand(ZeroRpcClient client, RawRouter router)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      CompletableFuture<Value> ping = client.call("_zerorpc_ping", Duration.ofSeconds(2));
      RawRouter.Received p;
      Duration wait = Duration.ofSeconds(2);
      while ((p = router.receivePayload(wait)) != null) {
        router.sendOnChannel(
            p.peer(), p.event().messageId().orElseThrow(), "OK", Fixtures.array(s("pong")));
        wait = Duration.ofMillis(200);
      }
      try {
        ping.get(2, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        // lost or timed out while JeroMQ retried the connection: ping again
      }
    }
  }

  @Test
  void callTimesOutWhenTheFirstReplyIsLateEvenWithHeartbeats() {
    try (ZeroRpcServer server = ZeroRpcServer.start(server(), call -> {});
        ZeroRpcClient client = ZeroRpcClient.connect(client(server))) {
      Fixtures.awaitConnected(client);
      assertThat(client.call("never", Duration.ofMillis(1000)))
          .failsWithin(WAIT)
          .withThrowableThat()
          .havingCause()
          .isInstanceOf(CallTimeoutException.class)
          .withMessageContaining("never: no reply within 1000 ms");
    }
  }

  @Test
  void slowCallIsKeptAliveByHeartbeatsBothWays() throws Exception {
    try (ZeroRpcServer server =
            ZeroRpcServer.start(
                server(),
                call -> LATER.schedule(() -> call.reply(s("slept")), 1500, TimeUnit.MILLISECONDS));
        ZeroRpcClient client = ZeroRpcClient.connect(client(server))) {
      Fixtures.awaitConnected(client);
      // 7 heartbeat intervals: without heartbeats either side would give up after 2
      assertThat(client.call("slow", WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo(s("slept"));
    }
  }

  @Test
  void eachHeartbeatOfAStreamsClientReachesItsHeartbeatListener() throws Exception {
    AtomicInteger heard = new AtomicInteger();
    AtomicReference<String> thread = new AtomicReference<>();
    try (ZeroRpcServer server =
            ZeroRpcServer.start(
                server(),
                call -> {
                  ServerStream s = call.openStream();
                  s.onHeartbeat(
                      () -> {
                        thread.set(Thread.currentThread().getName());
                        heard.incrementAndGet();
                      });
                  s.send(s("first"));
                });
        ZeroRpcClient client = ZeroRpcClient.connect(client(server))) {
      StreamTest.Collector collector = new StreamTest.Collector();
      client.stream("subscribe", collector, WAIT);
      await().atMost(WAIT).until(() -> heard.get() >= 3); // one per 200 ms from the client
      assertThat(thread.get()).as("on the server's I/O thread").endsWith("-io");
      assertThat(collector.end).isNotDone();
    }
  }

  @Test
  void streamClosedByTheClientEndsOnTheServer() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    try (ZeroRpcServer server =
            ZeroRpcServer.start(
                server(),
                call -> {
                  ServerStream s = call.openStream();
                  s.onClose(closed::countDown);
                  s.send(s("first"));
                });
        ZeroRpcClient client = ZeroRpcClient.connect(client(server))) {
      Fixtures.awaitConnected(client);
      StreamTest.Collector collector = new StreamTest.Collector();
      ClientStream stream = client.stream("subscribe", collector, WAIT);
      await().atMost(WAIT).until(() -> collector.items.size() == 1);
      stream.close();
      assertThat(stream.isOpen()).isFalse();
      assertThat(closed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(collector.end).isNotDone(); // no callbacks after a local close
    }
  }

  @Test
  void closingTheServerEndsOpenStreams() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    CountDownLatch opened = new CountDownLatch(1);
    ZeroRpcServer server =
        ZeroRpcServer.start(
            server(),
            call -> {
              ServerStream s = call.openStream();
              s.onClose(closed::countDown);
              opened.countDown();
            });
    try (ZeroRpcClient client = ZeroRpcClient.connect(client(server))) {
      Fixtures.awaitConnected(client);
      StreamTest.Collector collector = new StreamTest.Collector();
      client.stream("subscribe", collector, WAIT);
      assertThat(opened.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      server.close();
      assertThat(closed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      // the client notices through the missing heartbeats
      assertThat(collector.end)
          .failsWithin(WAIT)
          .withThrowableThat()
          .havingCause()
          .isInstanceOf(LostRemoteException.class);
    }
  }
}
