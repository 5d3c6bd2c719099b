package io.mschedule.master.store;

import java.time.Instant;

/**
 * The key an agent joined with.
 *
 * @param publicKey Z85 text of the CURVE public key, or {@link #PLAIN} for an agent of the
 *     unencrypted compatibility listener
 */
public record AgentKey(
    String agentId,
    String publicKey,
    KeyState state,
    Instant firstSeen,
    Instant decidedAt,
    String decidedBy) {

  public static final String PLAIN = "plain";

  public AgentKey decided(KeyState to, Instant at, String by) {
    return new AgentKey(agentId, publicKey, to, firstSeen, at, by);
  }
}
