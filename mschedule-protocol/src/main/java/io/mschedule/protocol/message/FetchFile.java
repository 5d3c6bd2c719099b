package io.mschedule.protocol.message;

/**
 * An agent asks for a piece of a file its run needs (zerorpc method {@code fetch_file}).
 *
 * @param id the task whose run needs the file
 * @param agentId the asking agent
 * @param sha256 the file's content hash, as the order gave it
 * @param offset the first byte wanted
 * @param length how many bytes, at most {@link #MAX_LENGTH}
 */
public record FetchFile(String id, String agentId, String sha256, long offset, int length)
    implements Message {

  /** The largest piece one call returns: 1 MiB. */
  public static final int MAX_LENGTH = 1 << 20;

  @Override
  public String type() {
    return MessageTypes.FETCH_FILE;
  }
}
