package io.mschedule.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

class RelayMessagesTest {
  static final String RELAY = "0123456789abcdef0123456789abcdef";

  @Test
  void a_batch_of_calls_keeps_each_call_and_its_order() {
    Value hb = ValueFactory.newString("a heartbeat");
    Value result = ValueFactory.newString("a result");
    RelayMessages.Calls batch =
        new RelayMessages.Calls(
            RELAY,
            List.of(
                new RelayMessages.Call(RELAY, "sendmsg", "KEY-A", "tcp://10.0.0.1:1", List.of(hb)),
                new RelayMessages.Call(RELAY, "sendmsg", null, null, List.of(result))));

    RelayMessages.Calls back = RelayMessages.Calls.decode(batch.encode());

    assertThat(back).isEqualTo(batch);
  }

  @Test
  void the_answers_to_a_batch_are_replies_and_errors_in_the_order_of_the_calls() {
    Value ack = ValueFactory.newString("ack");
    Value reply =
        RelayMessages.Calls.reply(
            RELAY,
            List.of(
                RelayMessages.Answer.of(ack),
                RelayMessages.Answer.failed("Refused", "the key was rejected")));

    assertThat(RelayMessages.Calls.answers(reply))
        .containsExactly(
            RelayMessages.Answer.of(ack),
            RelayMessages.Answer.failed("Refused", "the key was rejected"));
  }

  @Test
  void a_batch_with_a_call_that_is_not_a_map_is_refused_naming_it() {
    Value bad =
        ValueFactory.newMap(
            ValueFactory.newString("type"),
            ValueFactory.newString("relay_calls"),
            ValueFactory.newString("payload"),
            ValueFactory.newMap(
                ValueFactory.newString("relay_id"),
                ValueFactory.newString(RELAY),
                ValueFactory.newString("calls"),
                ValueFactory.newArray(ValueFactory.newInteger(7))));

    assertThatThrownBy(() -> RelayMessages.Calls.decode(bad))
        .isInstanceOf(BadMessageException.class)
        .hasMessageContaining("calls[0]");
  }
}
