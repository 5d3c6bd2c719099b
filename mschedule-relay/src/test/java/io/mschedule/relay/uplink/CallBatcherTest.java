package io.mschedule.relay.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.protocol.message.RelayMessages;
import io.mschedule.protocol.zerorpc.ClientOptions;
import io.mschedule.protocol.zerorpc.RemoteErrorException;
import io.mschedule.protocol.zerorpc.ServerCall;
import io.mschedule.protocol.zerorpc.ServerOptions;
import io.mschedule.protocol.zerorpc.ZeroRpcClient;
import io.mschedule.protocol.zerorpc.ZeroRpcServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/** The batcher against a real zerorpc server standing in for the master. */
class CallBatcherTest {
  static final String RELAY = "0123456789abcdef0123456789abcdef";
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final long HOUR = 3_600_000_000L;

  final List<String> methods = new CopyOnWriteArrayList<>();
  ZeroRpcServer master;
  ZeroRpcClient client;

  @BeforeEach
  void up() {
    master = ZeroRpcServer.start(new ServerOptions("tcp://127.0.0.1:0"), this::serve);
    client =
        ZeroRpcClient.connect(
            new ClientOptions("tcp://127.0.0.1:" + master.port())
                .handshakeTimeout(Duration.ofMillis(500)));
  }

  @AfterEach
  void down() {
    client.close();
    master.close();
  }

  /** Answers each carried call with its first argument, or refuses an argument "refuse me". */
  private void serve(ServerCall call) {
    methods.add(call.method());
    if (call.method().equals(RelayMessages.METHOD_CALLS)) {
      RelayMessages.Calls batch = RelayMessages.Calls.decode(call.args().get(0));
      List<RelayMessages.Answer> answers = new ArrayList<>();
      for (RelayMessages.Call c : batch.calls()) {
        Value arg = c.args().get(0);
        answers.add(
            arg.isMapValue()
                ? RelayMessages.Answer.of(ValueFactory.newString("heartbeat ok"))
                : arg.asStringValue().asString().equals("refuse me")
                    ? RelayMessages.Answer.failed("Refused", "no")
                    : RelayMessages.Answer.of(arg));
      }
      call.reply(RelayMessages.Calls.reply(RELAY, answers));
    } else {
      call.reply(ValueFactory.newString("alone: " + call.method()));
    }
  }

  private static RelayMessages.Call sendmsg(Value arg) {
    return new RelayMessages.Call(RELAY, "sendmsg", null, null, List.of(arg));
  }

  @Test
  void small_calls_of_one_window_cross_in_one_message_and_get_their_own_answers() throws Exception {
    try (CallBatcher b = new CallBatcher(RELAY, () -> client, TIMEOUT, HOUR, HOUR)) {
      CompletableFuture<Value> r1 = b.call(sendmsg(ValueFactory.newString("result 1")));
      CompletableFuture<Value> r2 = b.call(sendmsg(ValueFactory.newString("refuse me")));
      CompletableFuture<Value> r3 = b.call(sendmsg(ValueFactory.newString("result 3")));
      assertThat(r1).isNotDone();
      b.flush(); // the end of the window

      assertThat(r1.get(10, TimeUnit.SECONDS).asStringValue().asString()).isEqualTo("result 1");
      assertThat(r3.get(10, TimeUnit.SECONDS).asStringValue().asString()).isEqualTo("result 3");
      ExecutionException refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class, () -> r2.get(10, TimeUnit.SECONDS));
      assertThat(refused.getCause()).isInstanceOf(RemoteErrorException.class);
      assertThat(((RemoteErrorException) refused.getCause()).name()).isEqualTo("Refused");
      assertThat(methods).containsExactly(RelayMessages.METHOD_CALLS);
    }
  }

  @Test
  void a_subscribe_and_a_large_call_go_alone() throws Exception {
    try (CallBatcher b = new CallBatcher(RELAY, () -> client, TIMEOUT, HOUR, HOUR)) {
      Value big = ValueFactory.newString("x".repeat(CallBatcher.MAX_ITEM_BYTES + 1));
      assertThat(b.call(sendmsg(big)).get(10, TimeUnit.SECONDS).asStringValue().asString())
          .isEqualTo("alone: relay_call");
      RelayMessages.Call subscribe =
          new RelayMessages.Call(RELAY, "subscribe", null, null, List.of(ValueFactory.newNil()));
      assertThat(b.call(subscribe).get(10, TimeUnit.SECONDS).asStringValue().asString())
          .isEqualTo("alone: relay_call");
      assertThat(methods).containsExactly("relay_call", "relay_call");
    }
  }

  @Test
  void a_heartbeat_waits_for_its_longer_window_unless_a_result_brings_the_flush_forward()
      throws Exception {
    Value heartbeat =
        ValueFactory.newMap(ValueFactory.newString("type"), ValueFactory.newString("heartbeat"));
    try (CallBatcher b = new CallBatcher(RELAY, () -> client, TIMEOUT, 1_000, HOUR)) {
      CompletableFuture<Value> hb = b.call(sendmsg(heartbeat));
      Thread.sleep(100); // far past the short window: the heartbeat alone is still held
      assertThat(hb).isNotDone();
      CompletableFuture<Value> result = b.call(sendmsg(ValueFactory.newString("result")));
      assertThat(result.get(10, TimeUnit.SECONDS).asStringValue().asString()).isEqualTo("result");
      assertThat(hb.get(10, TimeUnit.SECONDS).asStringValue().asString()).isEqualTo("heartbeat ok");
      assertThat(methods).containsExactly(RelayMessages.METHOD_CALLS);
    }
  }

  @Test
  void without_a_session_a_call_fails_at_once_saying_so() {
    try (CallBatcher b = new CallBatcher(RELAY, () -> null, TIMEOUT, 1_000, 1_000)) {
      CompletableFuture<Value> r = b.call(sendmsg(ValueFactory.newString("result")));
      assertThat(r).isCompletedExceptionally();
      ExecutionException e =
          org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, r::get);
      assertThat(e.getCause()).isInstanceOf(UplinkDownException.class);
    }
  }
}
