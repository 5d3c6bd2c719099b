package io.mschedule.agent.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/** While its order stream is open, the agent heartbeats as seldom as the master allows. */
class SubscribedHeartbeatTest {
  private static final Duration OWN = Duration.ofSeconds(5);

  static Value ack(Map<String, Value> fields) {
    Map<Value, Value> m = new LinkedHashMap<>();
    m.put(ValueFactory.newString("status"), ValueFactory.newString("ok"));
    fields.forEach((k, v) -> m.put(ValueFactory.newString(k), v));
    return ValueFactory.newMap(m);
  }

  @Test
  void theMastersStreamHeartbeatWhenLongerThanTheAgentsOwn() {
    Value ack =
        ack(
            Map.of(
                "heartbeat",
                ValueFactory.newInteger(5),
                "stream_heartbeat",
                ValueFactory.newInteger(30)));
    assertThat(MasterSession.subscribedHeartbeat(ack, OWN)).isEqualTo(Duration.ofSeconds(30));
    assertThat(MasterSession.subscribedHeartbeat(ack, Duration.ofSeconds(60)))
        .as("an agent set to heartbeat less often keeps its own")
        .isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void theAgentsOwnWhenTheMasterGivesNoneOrNonsense() {
    assertThat(MasterSession.subscribedHeartbeat(ack(Map.of()), OWN))
        .as("an older master")
        .isEqualTo(OWN);
    assertThat(MasterSession.subscribedHeartbeat(null, OWN)).isEqualTo(OWN);
    for (Value bad :
        new Value[] {
          ValueFactory.newString("30"),
          ValueFactory.newInteger(-1),
          ValueFactory.newInteger(86_400),
          ValueFactory.newNil()
        }) {
      assertThat(MasterSession.subscribedHeartbeat(ack(Map.of("stream_heartbeat", bad)), OWN))
          .as("stream_heartbeat %s", bad)
          .isEqualTo(OWN);
    }
  }
}
