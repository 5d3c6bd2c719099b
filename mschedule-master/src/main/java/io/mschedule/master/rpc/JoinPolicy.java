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
        public String admit(Register register, ServerCall call) {
          return ACCEPTED;
        }

        @Override
        public void verify(String agentId, ServerCall call) {}

        @Override
        public void verifyAccepted(String agentId, ServerCall call) {}
      };

  /** Key state answered to an agent that may receive tasks. */
  String ACCEPTED = "accepted";

  /** Key state answered to an agent whose key waits for an operator. */
  String PENDING = "pending";

  /** Admits {@code register}; returns its key state ({@link #ACCEPTED} or {@link #PENDING}). */
  String admit(Register register, ServerCall call);

  /** Checks that {@code call} may act for {@code agentId} (same key as at registration). */
  void verify(String agentId, ServerCall call);

  /**
   * Like {@link #verify}, and the agent must be accepted: what a pending agent may not do (send
   * output or results, subscribe to orders) is refused.
   */
  void verifyAccepted(String agentId, ServerCall call);
}
