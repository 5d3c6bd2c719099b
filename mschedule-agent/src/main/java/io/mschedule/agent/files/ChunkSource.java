package io.mschedule.agent.files;

import java.util.concurrent.CompletableFuture;

/** Where pieces of a run's files come from (the master, over the agent's connection). */
public interface ChunkSource {
  /**
   * Asks for {@code length} bytes of the file {@code sha256} from {@code offset}, on behalf of the
   * run of {@code taskId}. The future fails with {@link FetchRefusedException} when the master
   * refuses (retrying will not help), with another exception when the connection failed.
   */
  CompletableFuture<byte[]> fetch(String taskId, String sha256, long offset, int length);

  /** A source for agents without a master link: every fetch fails. */
  ChunkSource NONE =
      (taskId, sha256, offset, length) ->
          CompletableFuture.failedFuture(
              new FetchRefusedException("this agent cannot fetch files"));
}
