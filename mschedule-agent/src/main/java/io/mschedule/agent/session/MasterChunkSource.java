package io.mschedule.agent.session;

import io.mschedule.agent.files.ChunkSource;
import io.mschedule.agent.files.FetchRefusedException;
import io.mschedule.protocol.message.FetchFile;
import io.mschedule.protocol.message.MessageCodec;
import io.mschedule.protocol.message.MessageTypes;
import io.mschedule.protocol.zerorpc.RemoteErrorException;
import io.mschedule.protocol.zerorpc.ZeroRpcClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/** Fetches pieces of files with {@code fetch_file} calls on the agent's connection. */
public final class MasterChunkSource implements ChunkSource {
  private static final Value DATA = ValueFactory.newString("data");

  private final MasterLink link;
  private final String agentId;
  private final Duration callTimeout;

  public MasterChunkSource(MasterLink link, String agentId, Duration callTimeout) {
    this.link = link;
    this.agentId = agentId;
    this.callTimeout = callTimeout;
  }

  @Override
  public CompletableFuture<byte[]> fetch(String taskId, String sha256, long offset, int length) {
    ZeroRpcClient client;
    try {
      client = link.await(callTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(e);
    }
    if (client == null) {
      return CompletableFuture.failedFuture(
          new IOException("not connected to the master for " + callTimeout.toSeconds() + " s"));
    }
    return client
        .call(
            MessageTypes.METHOD_FETCH_FILE,
            callTimeout,
            MessageCodec.encode(new FetchFile(taskId, agentId, sha256, offset, length)))
        .handle(
            (reply, error) -> {
              if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                if (cause instanceof RemoteErrorException re) {
                  throw new FetchRefusedException(re.getMessage());
                }
                throw new CompletionException(cause);
              }
              return data(reply);
            });
  }

  static byte[] data(Value reply) {
    if (reply == null || !reply.isMapValue()) {
      throw new FetchRefusedException("fetch_file: the master's reply is not a map");
    }
    Value data = reply.asMapValue().map().get(DATA);
    if (data == null || !data.isStringValue()) {
      throw new FetchRefusedException("fetch_file: the master's reply has no data");
    }
    try {
      return Base64.getDecoder().decode(data.asStringValue().asString());
    } catch (IllegalArgumentException e) {
      throw new FetchRefusedException("fetch_file: the master's data is not Base64");
    }
  }
}
