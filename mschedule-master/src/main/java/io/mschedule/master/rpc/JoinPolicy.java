package io.mschedule.master.rpc;

import io.mschedule.protocol.message.Register;
import io.mschedule.protocol.zerorpc.ServerCall;

/** Decides whether a registering agent may join; throws {@link RpcException} to refuse. */
public interface JoinPolicy {
  /** Lets every agent join (no authentication configured). */
  JoinPolicy OPEN = (register, call) -> {};

  void admit(Register register, ServerCall call);
}
