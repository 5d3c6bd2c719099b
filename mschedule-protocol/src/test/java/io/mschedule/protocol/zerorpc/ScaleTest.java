package io.mschedule.protocol.zerorpc;

import static io.mschedule.protocol.zerorpc.Fixtures.WAIT;
import static io.mschedule.protocol.zerorpc.Fixtures.endpoint;
import static io.mschedule.protocol.zerorpc.Fixtures.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Ten thousand open streams on one server: one sweep serves them all. */
class ScaleTest {
  private static final int DEALERS = 10;
  private static final int STREAMS_PER_DEALER = 1_000;
  private static final int STREAMS = DEALERS * STREAMS_PER_DEALER;

  @Test
  void tenThousandOpenStreamsAreHeartbeatedAndClosedWhenTheirClientsGoSilent() throws Exception {
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    try (ZeroRpcServer server =
        ZeroRpcServer.start(
            Fixtures.localServer().heartbeatInterval(Duration.ofSeconds(2)),
            call -> {
              ServerStream stream = call.openStream();
              stream.onClose(closed::incrementAndGet);
              stream.send(s("subscribed"));
              opened.incrementAndGet();
            })) {
      List<RawDealer> dealers = new ArrayList<>();
      try {
        for (int d = 0; d < DEALERS; d++) {
          RawDealer dealer = new RawDealer(endpoint(server));
          dealers.add(dealer);
          for (int k = 0; k < STREAMS_PER_DEALER; k++) {
            dealer.call("subscribe");
          }
        }
        // every stream delivers its first item
        int items = 0;
        for (RawDealer dealer : dealers) {
          int got = 0;
          while (got < STREAMS_PER_DEALER) {
            Event e = dealer.receive(WAIT);
            assertThat(e).as("stream items").isNotNull();
            if (e.name().equals("STREAM")) {
              got++;
            }
          }
          items += got;
        }
        assertThat(items).isEqualTo(STREAMS);
        assertThat(opened).hasValue(STREAMS);

        // the server stays responsive with 10,000 channels in its table
        try (ZeroRpcClient client = ZeroRpcClient.connect(Fixtures.clientTo(server))) {
          long start = System.nanoTime();
          client.call("_zerorpc_ping", WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
          System.out.printf(
              "ping with %d open streams: %d us%n",
              server.openChannels(), (System.nanoTime() - start) / 1_000);
        }

        // every channel gets its heartbeat from the one sweep
        int heartbeatedChannels = 0;
        for (RawDealer dealer : dealers) {
          java.util.Set<MessageId> seen = new java.util.HashSet<>();
          while (seen.size() < STREAMS_PER_DEALER) {
            Event e = dealer.receive(WAIT);
            assertThat(e).as("heartbeats").isNotNull();
            if (e.name().equals("_zpc_hb")) {
              seen.add(e.responseTo().orElseThrow());
            }
          }
          heartbeatedChannels += seen.size();
        }
        assertThat(heartbeatedChannels).isEqualTo(STREAMS);

        // the dealers never heartbeat: every channel is lost after 4 s and its stream closes
        await().atMost(WAIT).until(() -> closed.get() == STREAMS);
        assertThat(server.openChannels()).isZero();
      } finally {
        dealers.forEach(RawDealer::close);
      }
    }
  }
}
