package io.mschedule.protocol.message;

import java.util.Objects;

/**
 * Live output of a running script; {@code seq} counts chunks from 0. A chunk holds bytes of one
 * stream; a chunk without a stream (older agents) is stdout.
 */
public record OutputChunk(String id, String agentId, long seq, byte[] data, StdStream stream)
    implements Message {

  public OutputChunk {
    stream = Objects.requireNonNullElse(stream, StdStream.STDOUT);
  }

  /** A chunk of stdout. */
  public OutputChunk(String id, String agentId, long seq, byte[] data) {
    this(id, agentId, seq, data, StdStream.STDOUT);
  }

  @Override
  public String type() {
    return MessageTypes.OUTPUT;
  }
}
