package io.mschedule.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.protocol.zerorpc.CurveKeys;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigMetricsTest {
  static AgentConfig config(String metricsBind) {
    Map<String, String> s = new HashMap<>();
    s.put(AgentConfig.MASTER_KEY, CurveKeys.encodeZ85(CurveKeys.generate().publicKey()));
    if (metricsBind != null) {
      s.put(AgentConfig.METRICS_BIND, metricsBind);
    }
    return AgentConfig.from(s);
  }

  @Test
  void metrics_are_off_unless_metrics_bind_is_set() {
    assertThat(config(null).metricsHost()).isNull();
    assertThat(config(null).metricsPort()).isEqualTo(-1);
    AgentConfig on = config("127.0.0.1:9465");
    assertThat(on.metricsHost()).isEqualTo("127.0.0.1");
    assertThat(on.metricsPort()).isEqualTo(9465);
  }

  @Test
  void a_bad_metrics_bind_names_the_key() {
    for (String bad : new String[] {"9465", "host:", "host:port", "host:99999", "tcp://h:1"}) {
      assertThatThrownBy(() -> config(bad)).as(bad).hasMessageStartingWith("metrics-bind:");
    }
  }
}
