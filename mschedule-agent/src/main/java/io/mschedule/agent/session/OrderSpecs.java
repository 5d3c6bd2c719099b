package io.mschedule.agent.session;

import io.mschedule.agent.runner.RunSpec;
import io.mschedule.protocol.message.TaskOrder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Turns a {@code task} order into what the runner runs. */
final class OrderSpecs {
  private OrderSpecs() {}

  /**
   * The order's script, timeout and attempt, with its parameters plus {@code MSCHEDULE_TASK_ID},
   * {@code MSCHEDULE_AGENT_ID}, {@code MSCHEDULE_HOSTNAME} and {@code MSCHEDULE_ATTEMPT} in the
   * environment (those four always win).
   */
  static RunSpec spec(TaskOrder t, String agentId, String hostname) {
    Map<String, String> env = new HashMap<>(t.env());
    env.put("MSCHEDULE_TASK_ID", t.id());
    env.put("MSCHEDULE_AGENT_ID", agentId);
    env.put("MSCHEDULE_HOSTNAME", hostname);
    env.put("MSCHEDULE_ATTEMPT", Integer.toString(t.attempt()));
    return new RunSpec(
        t.id(), t.script(), Duration.ofSeconds(t.timeout()), env, t.files(), t.copy(), t.attempt());
  }
}
