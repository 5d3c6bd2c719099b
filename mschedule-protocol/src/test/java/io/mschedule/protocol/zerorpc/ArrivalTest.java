package io.mschedule.protocol.zerorpc;

import static io.mschedule.protocol.zerorpc.Fixtures.WAIT;
import static io.mschedule.protocol.zerorpc.Fixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls a handler answers on the server's I/O thread, as they arrive (real sockets). */
class ArrivalTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** Where each method was seen: "arrival quick <thread>", "call slow <thread>". */
  private final List<String> seen = new CopyOnWriteArrayList<>();

  private ZeroRpcServer server;
  private ZeroRpcClient client;

  private final CallHandler handler =
      new CallHandler() {
        @Override
        public boolean onArrival(ServerCall call) {
          seen.add("arrival " + call.method() + " " + Thread.currentThread().getName());
          switch (call.method()) {
            case "quick" -> {
              call.reply(s("quick answer"));
              return true;
            }
            case "broken" -> throw new IllegalStateException("not on arrival");
            default -> {
              return false;
            }
          }
        }

        @Override
        public void onCall(ServerCall call) {
          seen.add("call " + call.method() + " " + Thread.currentThread().getName());
          call.reply(s(call.method() + " answer"));
        }
      };

  @BeforeEach
  void start() {
    server = ZeroRpcServer.start(Fixtures.localServer(), handler);
    client = ZeroRpcClient.connect(Fixtures.clientTo(server));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void a_call_answered_on_arrival_goes_to_no_worker() throws Exception {
    assertThat(client.call("quick", TIMEOUT).get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isEqualTo(s("quick answer"));

    assertThat(seen).hasSize(1);
    assertThat(seen.get(0)).startsWith("arrival quick ").doesNotContain("-worker-");
  }

  @Test
  void a_call_left_on_arrival_or_failing_there_goes_to_a_worker() throws Exception {
    assertThat(client.call("slow", TIMEOUT).get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isEqualTo(s("slow answer"));
    assertThat(client.call("broken", TIMEOUT).get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isEqualTo(s("broken answer"));

    assertThat(seen).hasSize(4);
    assertThat(seen.get(0)).startsWith("arrival slow ").doesNotContain("-worker-");
    assertThat(seen.get(1)).startsWith("call slow ").contains("-worker-");
    assertThat(seen.get(3)).startsWith("call broken ").contains("-worker-");
  }
}
