package io.mschedule.protocol.zerorpc;

import java.util.Optional;

/** The server answered with {@code ERR [name, message, traceback]}. */
public class RemoteErrorException extends ZeroRpcException {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String remoteMessage;
  private final String traceback;

  public RemoteErrorException(String name, String remoteMessage) {
    this(name, remoteMessage, null);
  }

  public RemoteErrorException(String name, String remoteMessage, String traceback) {
    super(name + ": " + remoteMessage);
    this.name = name;
    this.remoteMessage = remoteMessage;
    this.traceback = traceback;
  }

  /** The error name, e.g. {@code BadRequest} or Python's {@code ValueError}. */
  public String name() {
    return name;
  }

  /** The human-readable message the server sent. */
  public String remoteMessage() {
    return remoteMessage;
  }

  /** The server's traceback text, when it sent one. */
  public Optional<String> traceback() {
    return Optional.ofNullable(traceback);
  }
}
