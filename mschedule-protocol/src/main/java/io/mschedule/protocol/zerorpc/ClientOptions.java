package io.mschedule.protocol.zerorpc;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link ZeroRpcClient}. A mutable builder: {@link ZeroRpcClient#connect} reads and
 * validates the values once.
 */
public final class ClientOptions {
  private final String endpoint;
  private Duration heartbeatInterval = ServerOptions.ZERORPC_HEARTBEAT;
  private int maxMessageBytes = 8 * 1024 * 1024;
  private int streamSlots = 100;
  private Duration handshakeTimeout = Duration.ofSeconds(3);
  private byte[] serverPublicKey;
  private byte[] clientPublicKey;
  private byte[] clientSecretKey;

  /**
   * @param endpoint where the DEALER connects, e.g. {@code tcp://master:5555}
   */
  public ClientOptions(String endpoint) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
  }

  /**
   * Per-channel heartbeat period; a channel that hears nothing for twice this fails with {@link
   * LostRemoteException}. As in zerorpc-python the count starts at the first heartbeat tick, so a
   * server that never answers is given up three intervals after the call. Default 5 s, as in
   * zerorpc.
   */
  public ClientOptions heartbeatInterval(Duration heartbeatInterval) {
    this.heartbeatInterval = Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    return this;
  }

  /** ZeroMQ drops the connection when the server sends a frame over twice this. Default 8 MiB. */
  public ClientOptions maxMessageBytes(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
    return this;
  }

  /**
   * Stream items the client lets the server send ahead of consumption ({@code _zpc_more}), 100 as
   * in zerorpc-python.
   */
  public ClientOptions streamSlots(int streamSlots) {
    this.streamSlots = streamSlots;
    return this;
  }

  /**
   * How long a new connection may take to complete the ZeroMQ handshake before it is dropped and
   * retried (ZMQ_HANDSHAKE_IVL). Default 3 s. JeroMQ 0.6.0 occasionally leaves a fresh outgoing
   * connection stalled before it sends its greeting (2 to 4 in 100 new connections on a busy 2-core
   * machine, otherwise until the 30 s default); the queued request goes out on the retried
   * connection.
   */
  public ClientOptions handshakeTimeout(Duration handshakeTimeout) {
    this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    return this;
  }

  /** Connect over CURVE: the server's public key and this client's key pair (32-byte keys). */
  public ClientOptions curve(
      byte[] serverPublicKey, byte[] clientPublicKey, byte[] clientSecretKey) {
    CurveKeys.checkKey(serverPublicKey, "serverPublicKey");
    CurveKeys.checkKey(clientPublicKey, "clientPublicKey");
    CurveKeys.checkKey(clientSecretKey, "clientSecretKey");
    this.serverPublicKey = serverPublicKey.clone();
    this.clientPublicKey = clientPublicKey.clone();
    this.clientSecretKey = clientSecretKey.clone();
    return this;
  }

  public String endpoint() {
    return endpoint;
  }

  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  public int streamSlots() {
    return streamSlots;
  }

  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  public boolean isCurve() {
    return serverPublicKey != null;
  }

  byte[] serverPublicKey() {
    return serverPublicKey;
  }

  byte[] clientPublicKey() {
    return clientPublicKey;
  }

  byte[] clientSecretKey() {
    return clientSecretKey;
  }

  void validate() {
    if (heartbeatInterval.toMillis() < 10) {
      throw new IllegalArgumentException(
          "heartbeatInterval must be at least 10 ms, got " + heartbeatInterval);
    }
    if (maxMessageBytes < 1024) {
      throw new IllegalArgumentException(
          "maxMessageBytes must be at least 1024, got " + maxMessageBytes);
    }
    if (handshakeTimeout.toMillis() < 100) {
      throw new IllegalArgumentException(
          "handshakeTimeout must be at least 100 ms, got " + handshakeTimeout);
    }
    if (streamSlots < 2) {
      throw new IllegalArgumentException("streamSlots must be at least 2, got " + streamSlots);
    }
  }
}
