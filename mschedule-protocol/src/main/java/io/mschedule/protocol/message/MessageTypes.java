package io.mschedule.protocol.message;

/** Wire names of message types. Append only. */
public final class MessageTypes {
  public static final String REGISTER = "register";

  /** The original design's spelling of {@link #REGISTER}, accepted on input. */
  public static final String REGISTER_ALIAS = "reg";

  public static final String HEARTBEAT = "heartbeat";
  public static final String OUTPUT = "output";
  public static final String RESULT = "result";
  public static final String SUBSCRIBE = "subscribe";
  public static final String SUBSCRIBED = "subscribed";
  public static final String TASK = "task";
  public static final String KILL = "kill";
  public static final String FETCH_FILE = "fetch_file";

  /** Protocol version described by docs/protocol.md. */
  public static final int PROTOCOL_VERSION = 1;

  /** zerorpc method names served by the master. */
  public static final String METHOD_SENDMSG = "sendmsg";

  public static final String METHOD_SUBSCRIBE = "subscribe";

  /** Serves a piece of a file a run needs: one {@code fetch_file} message, reply with the bytes. */
  public static final String METHOD_FETCH_FILE = "fetch_file";

  private MessageTypes() {}
}
