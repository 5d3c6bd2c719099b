package io.mschedule.protocol.zerorpc;

import java.util.Objects;
import org.zeromq.ZMQ;

/** CURVE key pairs and their Z85 text form (40 characters for a 32-byte key). */
public final class CurveKeys {
  /** Size of a CURVE public or secret key in bytes. */
  public static final int KEY_BYTES = 32;

  private static final String Z85_ALPHABET =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

  private CurveKeys() {}

  /** A CURVE key pair as raw 32-byte keys. */
  public record KeyPair(byte[] publicKey, byte[] secretKey) {
    public KeyPair {
      checkKey(publicKey, "publicKey");
      checkKey(secretKey, "secretKey");
      publicKey = publicKey.clone();
      secretKey = secretKey.clone();
    }

    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }

    @Override
    public byte[] secretKey() {
      return secretKey.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeyPair k
          && java.util.Arrays.equals(publicKey, k.publicKey)
          && java.util.Arrays.equals(secretKey, k.secretKey);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
      return "KeyPair[publicKey=" + encodeZ85(publicKey) + ", secretKey=<hidden>]";
    }
  }

  public static KeyPair generate() {
    ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
    return new KeyPair(decodeZ85(pair.publicKey), decodeZ85(pair.secretKey));
  }

  /** Z85 text of a 32-byte key. */
  public static String encodeZ85(byte[] key) {
    checkKey(key, "key");
    return ZMQ.Curve.z85Encode(key);
  }

  /**
   * The 32-byte key a 40-character Z85 text stands for.
   *
   * @throws IllegalArgumentException if the text is not a Z85 key
   */
  public static byte[] decodeZ85(String text) {
    Objects.requireNonNull(text, "text");
    if (text.length() != 40) {
      throw new IllegalArgumentException("a Z85 CURVE key has 40 characters, got " + text.length());
    }
    for (int i = 0; i < text.length(); i++) {
      if (Z85_ALPHABET.indexOf(text.charAt(i)) < 0) {
        throw new IllegalArgumentException(
            "not a Z85 CURVE key: character " + i + " is not in the Z85 alphabet");
      }
    }
    byte[] key;
    try {
      key = ZMQ.Curve.z85Decode(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a Z85 CURVE key", e);
    }
    if (key == null || key.length != KEY_BYTES) {
      throw new IllegalArgumentException("not a Z85 CURVE key");
    }
    return key;
  }

  static void checkKey(byte[] key, String what) {
    Objects.requireNonNull(key, what);
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          what + " must be " + KEY_BYTES + " bytes, got " + key.length);
    }
  }
}
