package io.mschedule.agent.session;

import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the state of this agent's key as the master reports it in its replies, and says what
 * changed: while the key is pending, the agent gets no task until an operator accepts it.
 */
final class KeyStateLog {
  private static final Logger log = LoggerFactory.getLogger(MasterSession.class);
  static final String PENDING = "pending";
  static final String ACCEPTED = "accepted";

  private final String agentId;
  private final boolean sendsToken;
  private String last;

  KeyStateLog(String agentId, boolean sendsToken) {
    this.agentId = agentId;
    this.sendsToken = sendsToken;
  }

  /** The key state in a master's acknowledgement, or null (older masters send none). */
  static String keyOf(Value ack) {
    if (ack != null && ack.isMapValue()) {
      Value v = ack.asMapValue().map().get(ValueFactory.newString("key"));
      if (v != null && v.isStringValue()) {
        return v.asStringValue().asString();
      }
    }
    return null;
  }

  /** Whether the master last said this agent's key waits for an operator. */
  synchronized boolean pending() {
    return PENDING.equals(last);
  }

  /** Logs when the key state in {@code ack} differs from the last one seen. */
  synchronized void seen(Value ack) {
    String key = keyOf(ack);
    if (key == null || key.equals(last)) {
      return;
    }
    if (PENDING.equals(key) && sendsToken) {
      log.warn(
          "the master did not take the join token (unknown or expired; create one with mschedule"
              + " master token create); waiting for an operator to accept this agent's key"
              + " (mschedule keys accept {})",
          agentId);
    } else if (PENDING.equals(key)) {
      log.warn(
          "waiting for an operator to accept this agent's key (mschedule keys accept {})", agentId);
    } else if (ACCEPTED.equals(key) && PENDING.equals(last)) {
      log.info("the master accepted this agent's key; it now takes tasks");
    }
    last = key;
  }
}
