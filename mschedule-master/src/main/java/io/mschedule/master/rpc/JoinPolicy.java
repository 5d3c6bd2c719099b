package io.mschedule.master.rpc;

import io.mschedule.protocol.message.Register;
import io.mschedule.protocol.zerorpc.ServerCall;

/**
 * Decides whether a registering agent may join, and whether a later message may speak for an agent;
 * throws {@link RpcException} ({@code Refused}) to refuse.
 */
public interface JoinPolicy {
  /** Lets every agent join and act (no authentication). */
  JoinPolicy OPEN =
      new JoinPolicy() {
        @Override
        public void admit(Register register, ServerCall call) {}

        @Override
        public void verify(String agentId, ServerCall call) {}

        @Override
        public void verifyAccepted(String agentId, ServerCall call) {}
      };

  void admit(Register register, ServerCall call);

  /** Checks that {@code call} may act for {@code agentId} (same key as at registration). */
  void verify(String agentId, ServerCall call);

  /**
   * Like {@link #verify}, and the agent must be accepted: what a pending agent may not do (send
   * output or results, subscribe to orders) is refused.
   */
  void verifyAccepted(String agentId, ServerCall call);
}
