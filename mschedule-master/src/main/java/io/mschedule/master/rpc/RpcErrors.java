package io.mschedule.master.rpc;

/** The names of the master's zerorpc errors (docs/protocol.md). */
public final class RpcErrors {
  public static final String BAD_REQUEST = "BadRequest";
  public static final String UNKNOWN_AGENT = "UnknownAgent";
  public static final String UNSUPPORTED_PROTOCOL = "UnsupportedProtocol";
  public static final String UNKNOWN_METHOD = "UnknownMethod";
  public static final String REFUSED = "Refused";
  public static final String INTERNAL = "Internal";

  private RpcErrors() {}
}
