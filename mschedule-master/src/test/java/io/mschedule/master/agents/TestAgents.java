package io.mschedule.master.agents;

import io.mschedule.protocol.message.MessageTypes;
import io.mschedule.protocol.message.Register;
import java.util.List;
import java.util.Map;

/** Agents for tests of the master's parts. */
public final class TestAgents {
  private TestAgents() {}

  /**
   * The register message of an agent on loopback with no labels, running nothing, at the current
   * protocol version.
   */
  public static Register register(String agentId, String hostname) {
    return new Register(
        agentId,
        hostname,
        List.of("127.0.0.1"),
        Map.of(),
        "1",
        MessageTypes.PROTOCOL_VERSION,
        List.of(),
        null);
  }
}
