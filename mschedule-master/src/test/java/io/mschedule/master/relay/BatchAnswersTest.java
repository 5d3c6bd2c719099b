package io.mschedule.master.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.protocol.message.RelayMessages;
import io.mschedule.protocol.zerorpc.PeerId;
import io.mschedule.protocol.zerorpc.ServerCall;
import io.mschedule.protocol.zerorpc.ServerStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

class BatchAnswersTest {
  static final String RELAY = "0123456789abcdef0123456789abcdef";

  /** The relay's relay_calls call: records what the master answers. */
  static final class RelayCall implements ServerCall {
    final List<Value> replies = new ArrayList<>();

    @Override
    public String method() {
      return RelayMessages.METHOD_CALLS;
    }

    @Override
    public List<Value> args() {
      return List.of();
    }

    @Override
    public PeerId peer() {
      return null;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void reply(Value result) {
      replies.add(result);
    }

    @Override
    public void error(String name, String message) {
      replies.add(ValueFactory.newString("error " + name));
    }

    @Override
    public ServerStream openStream() {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void the_relay_gets_one_reply_once_every_call_is_answered_in_the_order_of_the_calls() {
    RelayCall outer = new RelayCall();
    BatchAnswers answers = new BatchAnswers(outer, RELAY, 3);

    answers.slot(2).reply(ValueFactory.newString("third"));
    answers.slot(0).error("Refused", "no");
    assertThat(outer.replies).isEmpty(); // the second call is not answered yet (a result in flight)
    answers.slot(1).reply(ValueFactory.newString("second"));
    answers.slot(1).reply(ValueFactory.newString("again")); // a call is answered once

    assertThat(outer.replies).hasSize(1);
    assertThat(RelayMessages.Calls.answers(outer.replies.get(0)))
        .containsExactly(
            RelayMessages.Answer.failed("Refused", "no"),
            RelayMessages.Answer.of(ValueFactory.newString("second")),
            RelayMessages.Answer.of(ValueFactory.newString("third")));
  }

  @Test
  void an_empty_batch_is_answered_at_once() {
    RelayCall outer = new RelayCall();
    new BatchAnswers(outer, RELAY, 0);
    assertThat(outer.replies).hasSize(1);
    assertThat(RelayMessages.Calls.answers(outer.replies.get(0))).isEmpty();
  }
}
