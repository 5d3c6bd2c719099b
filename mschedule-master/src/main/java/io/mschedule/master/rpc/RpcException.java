package io.mschedule.master.rpc;

/** Answered to the agent as {@code ERR [name, message, nil]}. */
public final class RpcException extends RuntimeException {
  private final String name;

  public RpcException(String name, String message) {
    super(message);
    this.name = name;
  }

  public String name() {
    return name;
  }
}
