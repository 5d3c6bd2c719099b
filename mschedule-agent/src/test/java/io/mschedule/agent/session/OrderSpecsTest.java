package io.mschedule.agent.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.mschedule.agent.runner.RunSpec;
import io.mschedule.protocol.message.TaskOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrderSpecsTest {
  @Test
  void the_orders_parameters_join_the_agents_own_variables_which_win() {
    byte[] script = "echo $MODE\n".getBytes(StandardCharsets.UTF_8);
    TaskOrder order =
        new TaskOrder(
            "t1",
            script,
            30,
            1,
            0,
            -1,
            ScriptChecksum.sha256(script),
            Map.of("MODE", "full", "MSCHEDULE_TASK_ID", "forged"));

    RunSpec spec = OrderSpecs.spec(order, "a1", "web-01");

    assertThat(spec.env())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "MODE", "full",
                "MSCHEDULE_TASK_ID", "t1",
                "MSCHEDULE_AGENT_ID", "a1",
                "MSCHEDULE_HOSTNAME", "web-01",
                "MSCHEDULE_ATTEMPT", "1"));
    assertThat(spec.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(spec.script()).isEqualTo(script);
  }

  @Test
  void an_order_from_an_older_master_has_no_parameters() {
    TaskOrder order = new TaskOrder("t1", new byte[] {'x'}, 0, 1, 0, -1);
    assertThat(OrderSpecs.spec(order, "a1", "h").env())
        .containsOnlyKeys(
            "MSCHEDULE_TASK_ID", "MSCHEDULE_AGENT_ID", "MSCHEDULE_HOSTNAME", "MSCHEDULE_ATTEMPT");
  }

  @Test
  void a_retry_runs_as_its_attempt_and_tells_the_script_which_one() {
    TaskOrder order =
        new TaskOrder("t1", new byte[] {'x'}, 0, 1, 0, -1, null, Map.of(), List.of(), false, 2);
    RunSpec spec = OrderSpecs.spec(order, "a1", "h");
    assertThat(spec.attempt()).isEqualTo(2);
    assertThat(spec.runKey()).isEqualTo("t1#2");
    assertThat(spec.env()).containsEntry("MSCHEDULE_ATTEMPT", "2");
  }
}
