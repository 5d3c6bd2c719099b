package io.mschedule.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mschedule.protocol.zerorpc.CurveKeys;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigNameTest {
  private static AgentConfig with(String name) {
    Map<String, String> s = new HashMap<>();
    s.put(AgentConfig.MASTER_KEY, CurveKeys.encodeZ85(CurveKeys.generate().publicKey()));
    if (name != null) {
      s.put(AgentConfig.NAME, name);
    }
    return AgentConfig.from(s);
  }

  @Test
  void theNameIsOptionalAndKeptAsGiven() {
    assertThat(with(null).name()).as("unset: the hostname is shown").isNull();
    assertThat(with("batch-01.east").name()).isEqualTo("batch-01.east");
  }

  @Test
  void aNameThatWouldBreakTargetsIsRefusedNamingTheSetting() {
    for (String bad : new String[] {"web:01", "a=b", "all", "two words", "web*", "!x"}) {
      assertThatThrownBy(() -> with(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("name = '" + bad + "'")
          .hasMessageContaining("expected up to 100 letters, digits");
    }
  }
}
