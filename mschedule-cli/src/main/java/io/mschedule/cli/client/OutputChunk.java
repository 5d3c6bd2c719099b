package io.mschedule.cli.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A piece of a run's output as it arrives (the {@code output} live event).
 *
 * @param data the bytes as text
 * @param seq the agent's chunk number
 * @param offset where the piece starts in the run's output; null from older masters
 * @param stream {@code stdout} or {@code stderr}; null from older masters (stdout)
 * @param dataB64 the exact bytes in Base64 when they are not valid UTF-8, else null
 */
public record OutputChunk(
    String agentId, String data, Long seq, Long offset, String stream, String dataB64) {

  /** A chunk as older masters send it. */
  public OutputChunk(String agentId, String data) {
    this(agentId, data, null, null, null, null);
  }

  /** The exact bytes. */
  public byte[] bytes() {
    if (dataB64 != null) {
      return Base64.getDecoder().decode(dataB64);
    }
    return data == null ? new byte[0] : data.getBytes(StandardCharsets.UTF_8);
  }

  public boolean isStderr() {
    return "stderr".equals(stream);
  }
}
