package io.mschedule.agent.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mschedule.agent.runner.RunResult;
import io.mschedule.agent.spool.PendingResults;
import io.mschedule.agent.spool.ResultSpool;
import io.mschedule.protocol.zerorpc.ClientOptions;
import io.mschedule.protocol.zerorpc.ServerOptions;
import io.mschedule.protocol.zerorpc.ZeroRpcClient;
import io.mschedule.protocol.zerorpc.ZeroRpcServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.value.ValueFactory;

/** Results the master refuses are sent again on the same connection until acknowledged. */
class OutboxTest {
  @TempDir Path dir;

  @Test
  void a_result_the_master_fails_to_record_is_sent_again_without_a_reconnect() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    // a master whose database is down for its first two attempts
    try (ZeroRpcServer master =
            ZeroRpcServer.start(
                new ServerOptions("tcp://127.0.0.1:0").name("master"),
                call -> {
                  if (calls.incrementAndGet() <= 2) {
                    throw new IllegalStateException("the database is unavailable");
                  }
                  call.reply(ValueFactory.newString("ok"));
                });
        ZeroRpcClient client =
            ZeroRpcClient.connect(new ClientOptions("tcp://127.0.0.1:" + master.port()))) {
      PendingResults results = new PendingResults(new ResultSpool(dir.resolve("spool")), id -> {});
      results.add(RunResult.failedToStart("t1", "no shell", 1L, 2L));
      try (Outbox outbox = new Outbox("a1", results, Duration.ofSeconds(5))) {
        outbox.connected(client);

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
