package io.mschedule.protocol.zerorpc;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link ZeroRpcServer}. A mutable builder: {@link ZeroRpcServer#start} reads and
 * validates the values once.
 */
public final class ServerOptions {
  /** zerorpc's per-channel heartbeat period, which zerorpc-python and zerorpc-node clients use. */
  public static final Duration ZERORPC_HEARTBEAT = Duration.ofSeconds(5);

  private final String endpoint;
  private String name = "zerorpc";
  private int workerThreads = 4;
  private Duration heartbeatInterval = ZERORPC_HEARTBEAT;
  private int maxMessageBytes = 8 * 1024 * 1024;
  private int streamBufferSize = 10_000;
  private int maxQueuedCalls = 100_000;
  private byte[] curvePublicKey;
  private byte[] curveSecretKey;
  private CurveAuthenticator authenticator;

  /**
   * @param endpoint where the ROUTER binds, e.g. {@code tcp://*:5555}; port 0 picks a free port
   *     (see {@link ZeroRpcServer#port()})
   */
  public ServerOptions(String endpoint) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
  }

  /** Name returned by {@code _zerorpc_ping} as {@code ["pong", name]}. Default {@code zerorpc}. */
  public ServerOptions name(String name) {
    this.name = Objects.requireNonNull(name, "name");
    return this;
  }

  /** Threads running {@link CallHandler#onCall}. Default 4. */
  public ServerOptions workerThreads(int workerThreads) {
    this.workerThreads = workerThreads;
    return this;
  }

  /**
   * Per-channel heartbeat period. While a call is pending or a stream open, the server sends {@code
   * _zpc_hb} this often; a channel that hears nothing from its client for twice this is closed. As
   * in zerorpc-python the count starts at the first heartbeat tick, so a client that never
   * heartbeats is dropped three intervals after its call. Default 5 s, as in zerorpc; clients must
   * not use a longer interval.
   */
  public ServerOptions heartbeatInterval(Duration heartbeatInterval) {
    this.heartbeatInterval = Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    return this;
  }

  /**
   * Largest accepted event (frame) in bytes; bigger ones are answered with {@code BadRequest}.
   * ZeroMQ itself drops connections that send a frame over twice this. Default 8 MiB.
   */
  public ServerOptions maxMessageBytes(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
    return this;
  }

  /**
   * Items a stream holds while the client grants no more slots; {@link ServerStream#send} returns
   * false beyond this. Default 10,000.
   */
  public ServerOptions streamBufferSize(int streamBufferSize) {
    this.streamBufferSize = streamBufferSize;
    return this;
  }

  /** Calls waiting for a worker; further calls get {@code ERR Overloaded}. Default 100,000. */
  public ServerOptions maxQueuedCalls(int maxQueuedCalls) {
    this.maxQueuedCalls = maxQueuedCalls;
    return this;
  }

  /** Serve over CURVE with this long-term key pair (32-byte keys). */
  public ServerOptions curve(byte[] publicKey, byte[] secretKey) {
    CurveKeys.checkKey(publicKey, "publicKey");
    CurveKeys.checkKey(secretKey, "secretKey");
    this.curvePublicKey = publicKey.clone();
    this.curveSecretKey = secretKey.clone();
    return this;
  }

  /**
   * Checks each CURVE client's public key during the handshake (ZAP). Without one, any client that
   * knows the server's public key may connect. Requires {@link #curve}.
   */
  public ServerOptions authenticator(CurveAuthenticator authenticator) {
    this.authenticator = authenticator;
    return this;
  }

  public String endpoint() {
    return endpoint;
  }

  public String name() {
    return name;
  }

  public int workerThreads() {
    return workerThreads;
  }

  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  public int streamBufferSize() {
    return streamBufferSize;
  }

  public int maxQueuedCalls() {
    return maxQueuedCalls;
  }

  public boolean isCurve() {
    return curveSecretKey != null;
  }

  byte[] curvePublicKey() {
    return curvePublicKey;
  }

  byte[] curveSecretKey() {
    return curveSecretKey;
  }

  CurveAuthenticator authenticator() {
    return authenticator;
  }

  void validate() {
    if (workerThreads < 1) {
      throw new IllegalArgumentException("workerThreads must be at least 1, got " + workerThreads);
    }
    if (heartbeatInterval.toMillis() < 10) {
      throw new IllegalArgumentException(
          "heartbeatInterval must be at least 10 ms, got " + heartbeatInterval);
    }
    if (maxMessageBytes < 1024) {
      throw new IllegalArgumentException(
          "maxMessageBytes must be at least 1024, got " + maxMessageBytes);
    }
    if (streamBufferSize < 1) {
      throw new IllegalArgumentException(
          "streamBufferSize must be at least 1, got " + streamBufferSize);
    }
    if (maxQueuedCalls < 1) {
      throw new IllegalArgumentException(
          "maxQueuedCalls must be at least 1, got " + maxQueuedCalls);
    }
    if (authenticator != null && !isCurve()) {
      throw new IllegalArgumentException("an authenticator needs curve(publicKey, secretKey)");
    }
  }
}
