package io.mschedule.relay.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.protocol.message.RelayMessages;
import io.mschedule.protocol.zerorpc.ServerStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

class AgentStreamsTest {
  /** A stream that records what it is sent and how it ended. */
  static final class Recorded implements ServerStream {
    final List<String> items = new ArrayList<>();
    String ended;
    private final List<Runnable> listeners = new ArrayList<>();

    @Override
    public boolean send(Value item) {
      if (ended != null) {
        return false;
      }
      items.add(item.asStringValue().asString());
      return true;
    }

    @Override
    public void done() {
      end("done");
    }

    @Override
    public void error(String name, String message) {
      end(name);
    }

    private void end(String how) {
      if (ended == null) {
        ended = how;
        listeners.forEach(Runnable::run);
      }
    }

    @Override
    public boolean isOpen() {
      return ended == null;
    }

    @Override
    public void onClose(Runnable listener) {
      listeners.add(listener);
    }
  }

  private final List<String> gone = new ArrayList<>();
  private final AgentStreams streams = new AgentStreams((id, n) -> gone.add(id + "#" + n));
  private static final RelayMessages.Call SUB =
      new RelayMessages.Call("r", "subscribe", null, null, List.of());

  private static Value item(String s) {
    return ValueFactory.newString(s);
  }

  @Test
  void an_item_goes_to_the_stream_of_its_number_only() {
    Recorded s = new Recorded();
    streams.attach("a", 4, s, SUB);
    streams.attach("a", 5, s, SUB); // the agent subscribed again: 4 has ended
    assertThat(streams.deliver(5, item("x"))).isTrue();
    assertThat(streams.deliver(4, item("old"))).isFalse();
    assertThat(streams.deliver(1, item("nobody"))).isTrue(); // waits for stream 1
    assertThat(s.items).containsExactly("x");
  }

  @Test
  void items_that_overtake_the_subscribe_reply_wait_for_their_stream() {
    Recorded old = new Recorded();
    streams.attach("a", 1, old, SUB);
    streams.deliver(2, item("subscribed"));
    streams.deliver(2, item("task"));
    Recorded s = new Recorded();
    streams.attach("a", 2, s, SUB);
    assertThat(s.items).containsExactly("subscribed", "task");
    assertThat(old.ended).isEqualTo("done");
    assertThat(gone).isEmpty(); // the replaced stream is not reported gone
  }

  @Test
  void an_agent_that_goes_away_is_reported_with_its_stream_number() {
    Recorded s = new Recorded();
    streams.attach("a", 3, s, SUB);
    s.error("LostRemote", "gone");
    assertThat(gone).containsExactly("a#3");
    assertThat(streams.size()).isZero();
  }

  @Test
  void the_master_ends_only_the_stream_it_names() {
    Recorded s = new Recorded();
    streams.attach("a", 3, s, SUB);
    streams.end("a", 2, null, null);
    assertThat(s.isOpen()).isTrue();
    streams.end("a", 3, "Refused", "rejected");
    assertThat(s.ended).isEqualTo("Refused");
    assertThat(gone).isEmpty();
  }

  @Test
  void after_a_reconnect_the_same_agent_stream_takes_its_new_number() {
    Recorded s = new Recorded();
    streams.attach("a", 3, s, SUB);
    assertThat(streams.open()).extracting(AgentStreams.Open::number).containsExactly(3L);
    streams.deliver(9, item("subscribed-again"));
    streams.renumber("a", 3, 9);
    assertThat(streams.deliver(9, item("task"))).isTrue();
    assertThat(streams.deliver(3, item("stale"))).isFalse();
    assertThat(s.items).containsExactly("subscribed-again", "task");
    s.done();
    assertThat(gone).containsExactly("a#9");
  }

  @Test
  void items_waiting_for_streams_that_never_open_are_bounded() {
    for (int i = 0; i < AgentStreams.MAX_PENDING; i++) {
      assertThat(streams.deliver(1000 + i, item("waits"))).isTrue();
    }
    assertThat(streams.deliver(99_999, item("one too many"))).isFalse();
    Recorded s = new Recorded();
    streams.attach("a", 1000, s, SUB); // a stream that opens takes its items, freeing room
    assertThat(s.items).containsExactly("waits");
    assertThat(streams.deliver(99_999, item("now it waits"))).isTrue();
  }
}
