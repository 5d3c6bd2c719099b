package io.mschedule.master.live;

import io.mschedule.protocol.message.StdStream;

/**
 * A chunk of a running run's live output.
 *
 * @param seq the agent's chunk number for the run
 * @param offset where the chunk starts in the run's output (both streams, in the order the agent
 *     read them): a viewer who has shown the output up to some offset skips what lies below it
 * @param stream the stream the bytes came from
 */
public record LiveChunk(long seq, long offset, StdStream stream, byte[] data) {

  /** The offset just after the chunk. */
  public long end() {
    return offset + data.length;
  }
}
