package io.mschedule.protocol.zerorpc;

import static io.mschedule.protocol.zerorpc.Fixtures.WAIT;
import static io.mschedule.protocol.zerorpc.Fixtures.array;
import static io.mschedule.protocol.zerorpc.Fixtures.endpoint;
import static io.mschedule.protocol.zerorpc.Fixtures.i;
import static io.mschedule.protocol.zerorpc.Fixtures.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;

class StreamTest {
  private static final Duration QUIET = Duration.ofMillis(300);

  /** count(n): n integers, then done. Produced on a thread of its own, as the master will. */
  static void count(ServerCall call) {
    long n = call.args().get(0).asIntegerValue().toLong();
    ServerStream stream = call.openStream();
    Thread producer =
        new Thread(
            () -> {
              for (long k = 0; k < n; k++) {
                if (!stream.send(i(k))) {
                  stream.error("Overflow", "item " + k + " refused");
                  return;
                }
              }
              stream.done();
            });
    producer.start();
  }

  /** Collects what a StreamListener receives, and the threads it ran on. */
  static final class Collector implements StreamListener {
    final List<Value> items = Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Void> end = new CompletableFuture<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final AtomicInteger endings = new AtomicInteger();

    @Override
    public void onItem(Value item) {
      threads.add(Thread.currentThread().getName());
      items.add(item);
    }

    @Override
    public void onEnd() {
      endings.incrementAndGet();
      end.complete(null);
    }

    @Override
    public void onError(Throwable error) {
      endings.incrementAndGet();
      end.completeExceptionally(error);
    }
  }

  @Test
  void thousandItemsArriveInOrderThenTheEnd() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    try (ZeroRpcServer server =
            ZeroRpcServer.start(
                Fixtures.localServer(),
                call -> {
                  count(call);
                  call.openStream().onClose(closed::countDown);
                });
        ZeroRpcClient client = ZeroRpcClient.connect(Fixtures.clientTo(server))) {
      Collector collector = new Collector();
      ClientStream stream = client.stream("count", collector, WAIT, i(1000));

      collector.end.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      List<Value> expected = new ArrayList<>();
      for (int k = 0; k < 1000; k++) {
        expected.add(i(k));
      }
      assertThat(collector.items).isEqualTo(expected);
      assertThat(collector.threads).allMatch(t -> t.equals(collector.threads.get(0)));
      assertThat(stream.isOpen()).isFalse();
      assertThat(closed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      await().atMost(WAIT).until(() -> server.openChannels() == 0);
      assertThat(collector.endings).hasValue(1);
    }
  }

  @Test
  void serverNeverSendsMoreThanTheSlotsTheClientGranted() throws Exception {
    try (ZeroRpcServer server = ZeroRpcServer.start(Fixtures.localServer(), StreamTest::count);
        RawDealer dealer = new RawDealer(endpoint(server))) {
      MessageId id = dealer.call("count", i(50));

      // one slot to begin with: exactly one item, then nothing while we withhold _zpc_more
      List<Event> first = dealer.receiveExactly(1, WAIT, QUIET);
      assertThat(first).extracting(Event::name).containsExactly("STREAM");
      assertThat(first.get(0).args()).isEqualTo(i(0));
      assertThat(first.get(0).responseTo()).hasValue(id);

      dealer.sendOnChannel(id, "_zpc_more", array(i(10)));
      List<Event> next = dealer.receiveExactly(10, WAIT, QUIET);
      assertThat(next).allMatch(e -> e.name().equals("STREAM"));
      assertThat(next.get(9).args()).isEqualTo(i(10));

      // 39 items and STREAM_DONE are left: STREAM_DONE needs a slot too
      dealer.sendOnChannel(id, "_zpc_more", array(i(39)));
      List<Event> rest = dealer.receiveExactly(39, WAIT, QUIET);
      assertThat(rest).allMatch(e -> e.name().equals("STREAM"));
      assertThat(rest.get(38).args()).isEqualTo(i(49));

      dealer.sendOnChannel(id, "_zpc_more", array(i(1)));
      List<Event> done = dealer.receiveExactly(1, WAIT, QUIET);
      assertThat(done).extracting(Event::name).containsExactly("STREAM_DONE");
      assertThat(done.get(0).args().isNilValue()).isTrue();
    }
  }

  @Test
  void sendReturnsFalseWhenTheStreamBufferIsFull() throws Exception {
    List<Boolean> accepted = new CopyOnWriteArrayList<>();
    CountDownLatch sent = new CountDownLatch(1);
    try (ZeroRpcServer server =
            ZeroRpcServer.start(
                Fixtures.localServer().streamBufferSize(5),
                call -> {
                  ServerStream stream = call.openStream();
                  for (int k = 0; k < 8; k++) {
                    accepted.add(stream.send(i(k)));
                  }
                  sent.countDown();
                });
        RawDealer dealer = new RawDealer(endpoint(server))) {
      MessageId id = dealer.call("fill");
      assertThat(sent.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      // 1 slot + 5 buffered
      assertThat(accepted).containsExactly(true, true, true, true, true, true, false, false);

      dealer.sendOnChannel(id, "_zpc_more", array(i(100)));
      List<Event> events = dealer.receiveExactly(6, WAIT, QUIET);
      assertThat(events)
          .extracting(e -> e.args().asIntegerValue().toInt())
          .containsExactly(0, 1, 2, 3, 4, 5);
    }
  }

  @Test
  void streamErrorMidwayReachesTheListenerAfterTheItems() throws Exception {
    try (ZeroRpcServer server =
            ZeroRpcServer.start(
                Fixtures.localServer(),
                call -> {
                  ServerStream stream = call.openStream();
                  stream.send(s("a"));
                  stream.send(s("b"));
                  stream.error("Boom", "disk full");
                  stream.send(s("ignored"));
                  stream.done(); // ignored: the stream already ended
                });
        ZeroRpcClient client = ZeroRpcClient.connect(Fixtures.clientTo(server))) {
      Collector collector = new Collector();
      client.stream("m", collector, WAIT);
      await().atMost(WAIT).until(collector.end::isDone);
      assertThat(collector.items).containsExactly(s("a"), s("b"));
      assertThat(collector.end)
          .failsWithin(Duration.ZERO)
          .withThrowableThat()
          .havingCause()
          .isInstanceOfSatisfying(
              RemoteErrorException.class, e -> assertThat(e.name()).isEqualTo("Boom"));
    }
  }

  @Test
  void callingAStreamWithCallFailsClearly() {
    try (ZeroRpcServer server = ZeroRpcServer.start(Fixtures.localServer(), StreamTest::count);
        ZeroRpcClient client = ZeroRpcClient.connect(Fixtures.clientTo(server))) {
      assertThat(client.call("count", WAIT, i(3)))
          .failsWithin(WAIT)
          .withThrowableThat()
          .havingCause()
          .isInstanceOf(ZeroRpcException.class)
          .withMessageContaining("use stream()");
    }
  }

  @Test
  void listenerThatThrowsEndsTheStreamWithItsException() throws Exception {
    try (ZeroRpcServer server = ZeroRpcServer.start(Fixtures.localServer(), StreamTest::count);
        ZeroRpcClient client = ZeroRpcClient.connect(Fixtures.clientTo(server))) {
      AtomicReference<Throwable> error = new AtomicReference<>();
      AtomicInteger items = new AtomicInteger();
      CountDownLatch ended = new CountDownLatch(1);
      client.stream(
          "count",
          new StreamListener() {
            @Override
            public void onItem(Value item) {
              if (items.incrementAndGet() == 3) {
                throw new IllegalStateException("consumer broke");
              }
            }

            @Override
            public void onEnd() {
              ended.countDown();
            }

            @Override
            public void onError(Throwable t) {
              error.set(t);
              ended.countDown();
            }
          },
          WAIT,
          i(100));
      assertThat(ended.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(error.get()).isInstanceOf(IllegalStateException.class);
      assertThat(items).hasValue(3);
    }
  }

  @Test
  void nilItemsAndNestedValuesPassUnwrapped() throws Exception {
    try (ZeroRpcServer server =
            ZeroRpcServer.start(
                Fixtures.localServer(),
                call -> {
                  ServerStream stream = call.openStream();
                  stream.send(null);
                  stream.send(array(i(1), s("x")));
                  stream.done();
                });
        RawDealer dealer = new RawDealer(endpoint(server))) {
      MessageId id = dealer.call("m");
      Event first = dealer.receivePayload(WAIT);
      assertThat(first.args().isNilValue()).isTrue();
      dealer.sendOnChannel(id, "_zpc_more", array(i(100)));
      assertThat(dealer.receivePayload(WAIT).args()).isEqualTo(array(i(1), s("x")));
      assertThat(dealer.receivePayload(WAIT).name()).isEqualTo("STREAM_DONE");
    }
  }

  @Test
  void clientGrantsSlotsAsZerorpcPythonDoes() throws Exception {
    try (RawRouter router = new RawRouter();
        ZeroRpcClient client =
            ZeroRpcClient.connect(
                new ClientOptions("tcp://127.0.0.1:" + router.port)
                    .handshakeTimeout(Duration.ofMillis(500)))) {
      Collector collector = new Collector();
      client.stream("count", collector, WAIT, i(60));
      RawRouter.Received request = router.receive(WAIT);
      assertThat(request.event().name()).isEqualTo("count");
      MessageId id = request.event().messageId().orElseThrow();

      router.sendOnChannel(request.peer(), id, "STREAM", i(0));
      // after the first item is consumed: _zpc_more [100]
      assertThat(router.receivePayload(WAIT).event())
          .satisfies(
              e -> {
                assertThat(e.name()).isEqualTo("_zpc_more");
                assertThat(e.responseTo()).hasValue(id);
                assertThat(e.args()).isEqualTo(array(i(100)));
              });
      for (int k = 1; k <= 51; k++) {
        router.sendOnChannel(request.peer(), id, "STREAM", i(k));
      }
      // after 51 more, fewer than half the slots are left: top up to 100 again
      assertThat(router.receivePayload(WAIT).event().args()).isEqualTo(array(i(51)));
      router.sendOnChannel(request.peer(), id, "STREAM_DONE", null);
      collector.end.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(collector.items).hasSize(52);
    }
  }

  @Test
  void clientCanBeClosedFromItsOwnCallbackThread() throws Exception {
    try (ZeroRpcServer server = ZeroRpcServer.start(Fixtures.localServer(), StreamTest::count)) {
      ZeroRpcClient client = ZeroRpcClient.connect(Fixtures.clientTo(server));
      CompletableFuture<Long> closedIn = new CompletableFuture<>();
      client.stream(
          "count",
          new StreamListener() {
            @Override
            public void onItem(Value item) {
              long start = System.nanoTime();
              client.close();
              closedIn.complete((System.nanoTime() - start) / 1_000_000);
            }

            @Override
            public void onEnd() {}

            @Override
            public void onError(Throwable error) {}
          },
          WAIT,
          i(1000));
      assertThat(closedIn.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isLessThan(4_000);
    }
  }
}
