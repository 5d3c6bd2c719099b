package io.mschedule.master.relay;

import io.mschedule.master.rpc.JoinPolicy;
import io.mschedule.master.rpc.RpcErrors;
import io.mschedule.master.rpc.RpcException;
import io.mschedule.master.security.keys.KeyRefusedException;
import io.mschedule.master.security.keys.KeyRegistry;
import io.mschedule.master.store.KeyState;

/**
 * Whether a relay may speak to this master: its CURVE key is kept and decided like an agent's
 * ({@code mschedule keys}), or a join token admits it at once.
 */
public final class RelayAdmission {
  private final KeyRegistry keys;

  public RelayAdmission(KeyRegistry keys) {
    this.keys = keys;
  }

  /** Returns {@link JoinPolicy#ACCEPTED} or {@link JoinPolicy#PENDING}; throws when refused. */
  String admit(String relayId, String publicKey, String token, String address) {
    try {
      return keys.admit(relayId, publicKey, token, address) == KeyState.PENDING
          ? JoinPolicy.PENDING
          : JoinPolicy.ACCEPTED;
    } catch (KeyRefusedException e) {
      throw new RpcException(RpcErrors.REFUSED, "relay " + relayId + ": " + e.getMessage());
    }
  }

  void verifyAccepted(String relayId, String publicKey) {
    try {
      keys.verifyAccepted(relayId, publicKey);
    } catch (KeyRefusedException e) {
      throw new RpcException(RpcErrors.REFUSED, "relay " + relayId + ": " + e.getMessage());
    }
  }
}
