package io.mschedule.protocol.message;

/** Live output of a running script; {@code seq} counts chunks from 0. */
public record OutputChunk(String id, String agentId, long seq, byte[] data) implements Message {
  @Override
  public String type() {
    return MessageTypes.OUTPUT;
  }
}
