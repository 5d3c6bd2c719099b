package io.mschedule.protocol.message;

import java.util.Objects;

/**
 * Live output of a running script; {@code seq} counts chunks from 0. A chunk holds bytes of one
 * stream; a chunk without a stream (older agents) is stdout.
 *
 * @param offset where the chunk starts in the run's output (both streams, in the order read), or -1
 *     when the agent does not say (older agents)
 */
public record OutputChunk(
    String id, String agentId, long seq, byte[] data, StdStream stream, long offset)
    implements Message {

  /** The offset older agents send: none. */
  public static final long NO_OFFSET = -1;

  public OutputChunk {
    stream = Objects.requireNonNullElse(stream, StdStream.STDOUT);
  }

  /** A chunk of stdout without an offset, as older agents send it. */
  public OutputChunk(String id, String agentId, long seq, byte[] data) {
    this(id, agentId, seq, data, StdStream.STDOUT, NO_OFFSET);
  }

  @Override
  public String type() {
    return MessageTypes.OUTPUT;
  }
}
