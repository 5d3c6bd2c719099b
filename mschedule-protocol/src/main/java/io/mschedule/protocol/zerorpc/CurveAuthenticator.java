package io.mschedule.protocol.zerorpc;

/** Decides, during the CURVE handshake, whether a client public key may connect (via ZAP). */
@FunctionalInterface
public interface CurveAuthenticator {
  /**
   * @param clientPublicKey the client's 32-byte long-term public key
   * @return true to accept the connection
   */
  boolean allow(byte[] clientPublicKey);
}
