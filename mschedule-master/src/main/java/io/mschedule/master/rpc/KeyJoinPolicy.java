package io.mschedule.master.rpc;

import io.mschedule.master.agents.OncePerAgent;
import io.mschedule.master.security.keys.KeyRefusedException;
import io.mschedule.master.security.keys.KeyRegistry;
import io.mschedule.master.store.AgentKey;
import io.mschedule.master.store.KeyState;
import io.mschedule.protocol.message.Register;
import io.mschedule.protocol.zerorpc.CurveKeys;
import io.mschedule.protocol.zerorpc.ServerCall;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission through agent keys. On the CURVE listener the key is the one the client proved in the
 * handshake; on the plain compatibility listener there is none, and a join token is required.
 */
public final class KeyJoinPolicy implements JoinPolicy {
  private static final Logger log = LoggerFactory.getLogger(KeyJoinPolicy.class);

  /** How often the same agent's refusal or pending key is logged. */
  static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

  private final KeyRegistry keys;
  private final boolean plain;
  private final OncePerAgent logLimit;

  public KeyJoinPolicy(KeyRegistry keys, boolean plain, Clock clock) {
    this.keys = keys;
    this.plain = plain;
    this.logLimit = new OncePerAgent(clock, LOG_INTERVAL);
  }

  @Override
  public String admit(Register register, ServerCall call) {
    KeyState state;
    try {
      state =
          keys.admit(
              register.id(), keyOf(call), register.token(), call.peer().address().orElse(null));
    } catch (KeyRefusedException e) {
      if (logLimit.allow(register.id())) {
        log.warn(
            "agent {} ({}, from {}) refused: {}",
            register.id(),
            register.hostname(),
            call.peer().address().orElse("unknown address"),
            e.getMessage());
      }
      throw new RpcException(RpcErrors.REFUSED, e.getMessage());
    }
    if (state == KeyState.PENDING) {
      if (logLimit.allow(register.id())) {
        log.info(
            "agent {} ({}) waits for its key to be accepted: mschedule keys accept {}",
            register.id(),
            register.hostname(),
            register.id());
      }
      return PENDING;
    }
    return ACCEPTED;
  }

  @Override
  public void verify(String agentId, ServerCall call) {
    try {
      keys.verify(agentId, keyOf(call));
    } catch (KeyRefusedException e) {
      throw new RpcException(RpcErrors.REFUSED, e.getMessage());
    }
  }

  @Override
  public void verifyAccepted(String agentId, ServerCall call) {
    try {
      keys.verifyAccepted(agentId, keyOf(call));
    } catch (KeyRefusedException e) {
      throw new RpcException(RpcErrors.REFUSED, e.getMessage());
    }
  }

  private String keyOf(ServerCall call) {
    if (plain) {
      return AgentKey.PLAIN;
    }
    byte[] key =
        call.peerKey()
            .orElseThrow(
                () -> new RpcException(RpcErrors.REFUSED, "no CURVE key on this connection"));
    return CurveKeys.encodeZ85(key);
  }
}
