package io.mschedule.master.rpc;

import io.mschedule.master.security.keys.KeyRefusedException;
import io.mschedule.master.security.keys.KeyRegistry;
import io.mschedule.master.store.AgentKey;
import io.mschedule.protocol.message.Register;
import io.mschedule.protocol.zerorpc.CurveKeys;
import io.mschedule.protocol.zerorpc.ServerCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission through agent keys. On the CURVE listener the key is the one the client proved in the
 * handshake; on the plain compatibility listener there is none, and a join token is required.
 */
public final class KeyJoinPolicy implements JoinPolicy {
  private static final Logger log = LoggerFactory.getLogger(KeyJoinPolicy.class);

  private final KeyRegistry keys;
  private final boolean plain;

  public KeyJoinPolicy(KeyRegistry keys, boolean plain) {
    this.keys = keys;
    this.plain = plain;
  }

  @Override
  public void admit(Register register, ServerCall call) {
    try {
      keys.admit(register.id(), keyOf(call), register.token(), call.peer().address().orElse(null));
    } catch (KeyRefusedException e) {
      log.warn(
          "agent {} ({}, from {}) refused: {}",
          register.id(),
          register.hostname(),
          call.peer().address().orElse("unknown address"),
          e.getMessage());
      throw new RpcException(RpcErrors.REFUSED, e.getMessage());
    }
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
