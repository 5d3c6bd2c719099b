package zmq.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * mschedule's copy of JeroMQ's {@code zmq.poll.Poller} (it re-applies only the connections whose
 * interest changed) is the one loaded, and a ROUTER with many connections coming and going still
 * hears and answers every one of them.
 */
class PatchedPollerTest {
  @Test
  void the_copy_is_loaded_ahead_of_jeromqs_own() throws Exception {
    assertThat(Poller.class.getField("APPLIES_CHANGED_HANDLES_ONLY").getBoolean(null)).isTrue();
  }

  @Test
  void every_connection_is_answered_while_others_come_and_go() {
    try (ZContext ctx = new ZContext()) {
      ZMQ.Socket router = ctx.createSocket(SocketType.ROUTER);
      int port = router.bindToRandomPort("tcp://127.0.0.1");
      List<ZMQ.Socket> dealers = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 100; i++) {
          ZMQ.Socket d = ctx.createSocket(SocketType.DEALER);
          d.setLinger(0);
          d.setReceiveTimeOut(10_000);
          d.connect("tcp://127.0.0.1:" + port);
          dealers.add(d);
        }
        for (int i = 0; i < dealers.size(); i++) {
          dealers.get(i).send("ping " + i);
        }
        router.setReceiveTimeOut(10_000);
        for (int i = 0; i < dealers.size(); i++) {
          byte[] id = router.recv();
          assertThat(id).as("request %d of round %d", i, round).isNotNull();
          String body = router.recvStr();
          router.sendMore(id);
          router.send("pong " + body.substring(5));
        }
        for (int i = 0; i < dealers.size(); i++) {
          assertThat(new String(dealers.get(i).recv(), StandardCharsets.UTF_8))
              .isEqualTo("pong " + i);
        }
        // half the connections go away; the next round adds 100 more
        for (int i = dealers.size() - 1; i >= 0; i -= 2) {
          ctx.destroySocket(dealers.remove(i));
        }
      }
    }
  }
}
